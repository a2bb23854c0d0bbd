#!/usr/bin/env bash
# Proves the container image: builds it from the Dockerfile, runs it with a read-only root file
# system as its non-root user, waits for its HEALTHCHECK to pass, sends a request through it to
# the emulator, and stops it with SIGTERM, which it must obey well inside the grace period; then
# the same for the with-databricks-cli target with a mounted CLI-login profile as its only
# credential. Prints the image's size and each step's time. Needs podman (and runc), a built dist/ (the
# emulator runs on the host) and Node 24 on PATH. Run by .ci/run; by hand: scripts/image-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# PODMAN="podman --storage-driver=vfs" where overlay mounts are not allowed (much slower).
read -r -a podman <<<"${PODMAN:-podman}"
image="${DBX_PROXY_IMAGE:-localhost/dbx-proxy:check}"
official_base="docker.io/library/node:24-slim"
standin_base="localhost/dbx-proxy-node-standin:24"
name="dbx-proxy-check-$$"
grace_s=15          # how long SIGTERM may take before the check fails (the proxy's own grace is 10 s)
health_timeout_s=60
# What CI's sandbox needs to run a container at all, harmless elsewhere: crun refuses its mixed
# cgroup v1/v2 layout ("cgroups in hybrid mode not supported", --cgroups=disabled does not help),
# runc accepts it; the sandbox lacks CAP_SYS_RESOURCE, so the runtime's setrlimit fails with EPERM
# at podman's default limits (and, inside the container's setup, even at the sandbox's own), so
# ask for limits below them; the host's network, since the emulator listens on its loopback.
# Builds run containers too (RUN lines), so both take these.
runtime_flags=(--network=host --ulimit nofile=8192:8192 --ulimit nproc=4096:4096)
if command -v runc >/dev/null; then runtime_flags+=(--runtime runc); fi

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
step() { echo "image-check: $*"; }
emulator_pid=""
workdir="$(mktemp -d)"
cleanup() {
  "${podman[@]}" rm -f "$name" >/dev/null 2>&1 || true
  "${podman[@]}" rmi -f localhost/dbx-proxy-cli-standin:check >/dev/null 2>&1 || true
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$workdir"
  # Earlier builds of the tag, now untagged, would pile up run after run.
  "${podman[@]}" image prune -f >/dev/null 2>&1 || true
}
trap cleanup EXIT
fail() {
  echo "image-check: FAILED: $*" >&2
  "${podman[@]}" logs "$name" 2>&1 | tail -20 >&2 || true
  if [ -f "$workdir/emulator.out" ]; then tail -5 "$workdir/emulator.out" >&2; fi
  if [ -n "$emulator_pid" ] && ! kill -0 "$emulator_pid" 2>/dev/null; then echo "image-check: the emulator is gone" >&2; fi
  exit 1
}
# One chat completion through the proxy at 127.0.0.1:$1 with local key $2: "<status> <answer text>".
ask_through() {
  node -e '
    const [port, key] = process.argv.slice(1);
    fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: "databricks-claude-sonnet-4-6", messages: [{ role: "user", content: "Say hello" }] }),
    }).then(async (r) => { const body = await r.json(); console.log(r.status, JSON.stringify(body.choices?.[0]?.message?.content ?? body)); })
      .catch((e) => { console.log("error", e.message); });' "$1" "$2"
}
[ -f dist/cli/main.js ] || fail "dist/ is missing: run npm run build first"

started_all="$(now)"
# 1. The base: the official image when the registry answers, else a local stand-in (same Node major).
t="$(now)"
if timeout 60 "${podman[@]}" pull --quiet "$official_base" >/dev/null 2>&1; then
  base="$official_base"
else
  step "cannot pull $official_base; building a stand-in base from this machine's Node"
  PODMAN="${podman[*]}" scripts/image/standin-base.sh "$standin_base"
  base="$standin_base"
fi
step "base $base ready in $(since "$t") s"

# 2. The build. --format docker keeps HEALTHCHECK (the OCI format has no field for it).
# A TLS-inspecting proxy between this machine and the npm registry: the build gets its CA.
build_extras=()
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then build_extras=(--secret "id=ca,src=$NODE_EXTRA_CA_CERTS"); fi
# The host's npm cache, warm from its own `npm ci`, spares the build stage the downloads.
if [ -d "$HOME/.npm" ]; then build_extras+=(--volume "$HOME/.npm:/root/.npm"); fi
t="$(now)"
"${podman[@]}" build --quiet "${build_extras[@]}" --format docker "${runtime_flags[@]}" --build-arg "NODE_IMAGE=$base" -t "$image" . >/dev/null
size_bytes="$("${podman[@]}" image inspect --format '{{.Size}}' "$image")"
base_bytes="$("${podman[@]}" image inspect --format '{{.Size}}' "$base")"
step "built $image in $(since "$t") s: $((size_bytes / 1000000)) MB ($(((size_bytes - base_bytes) / 1000000)) MB above the base)"
[ "$("${podman[@]}" image inspect --format '{{.Config.Healthcheck.Test}}' "$image")" != "[]" ] || fail "the image has no HEALTHCHECK"

# 3. The emulator on the host, on a free port; its first lines name its URL and demo PAT.
node bin/dbx-proxy.js emulate --port 0 >"$workdir/emulator.out" 2>&1 &
emulator_pid=$!
for _ in $(seq 50); do grep -q '^  DATABRICKS_TOKEN=' "$workdir/emulator.out" && break; sleep 0.1; done
emulator_url="$(sed -n 's/^  DATABRICKS_HOST=//p' "$workdir/emulator.out")"
emulator_pat="$(sed -n 's/^  DATABRICKS_TOKEN=//p' "$workdir/emulator.out")"
[ -n "$emulator_url" ] || fail "the emulator did not start: $(cat "$workdir/emulator.out")"
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
local_key="image-check-key-$$"

# 4. Run it: read-only root, no capabilities, no privilege gain, as the image's own user.
t="$(now)"
"${podman[@]}" run -d --name "$name" "${runtime_flags[@]}" --health-interval=disable --read-only --cap-drop=ALL --security-opt=no-new-privileges \
  -e DATABRICKS_HOST="$emulator_url" -e DATABRICKS_TOKEN="$emulator_pat" \
  -e DBX_PROXY_PORT="$port" -e DBX_PROXY_API_KEYS="$local_key" "$image" >/dev/null 2>"$workdir/run.err" ||
  fail "podman run: $(cat "$workdir/run.err")"
# What podman says without systemd (it cannot schedule the health timer) is noise here; anything else is shown.
grep -v 'systemd connection' "$workdir/run.err" >&2 || true
healthy=""
while [ "$(since "$t" | cut -d. -f1)" -lt "$health_timeout_s" ]; do
  # The engine runs the check on a systemd timer, and a sandbox has no systemd (--health-interval=disable
  # above): run it ourselves, as the timer would.
  if "${podman[@]}" healthcheck run "$name" >/dev/null 2>&1; then healthy=1; break; fi
  [ "$("${podman[@]}" inspect --format '{{.State.Running}}' "$name")" = "true" ] || fail "the container exited"
  sleep 0.5
done
[ -n "$healthy" ] || fail "HEALTHCHECK did not pass within $health_timeout_s s"
step "HEALTHCHECK passed $(since "$t") s after start ($("${podman[@]}" inspect --format '{{.State.Health.Status}}' "$name"))"
uid="$("${podman[@]}" exec "$name" node -p 'process.getuid()')"
[ "$uid" != "0" ] || fail "the proxy runs as root"
step "runs as uid $uid with a read-only root file system"

# 5. One request through the container to the emulator.
answer="$(ask_through "$port" "$local_key")"
case "$answer" in 200*) step "request through the container: $answer" ;; *) fail "request through the container: $answer" ;; esac

# 6. SIGTERM: node is PID 1, so only its own handler can end it; it must exit 0 within the grace.
t="$(now)"
"${podman[@]}" kill --signal TERM "$name" >/dev/null
code="$(timeout "$grace_s" "${podman[@]}" wait "$name" || echo timeout)"
[ "$code" = "0" ] || fail "after SIGTERM: exit code $code (grace $grace_s s)"
step "SIGTERM: exited 0 after $(since "$t") s (grace $grace_s s)"
# 7. The with-databricks-cli target, as a `databricks auth login` user runs it: the host's
# ~/.databrickscfg mounted read-only, a profile with auth_type = databricks-cli, no token in the
# environment. Databricks' CLI image cannot be pulled here either: a stand-in holds a stub at the
# same path (/app/databricks) answering `databricks auth token` as the CLI does, so what is proven
# is the image's side: the CLI at hand on PATH, the mounted profile read, its token used.
t="$(now)"
cli_context="$workdir/cli"
mkdir -p "$cli_context"
token_json="{\"access_token\":\"$emulator_pat\",\"token_type\":\"Bearer\",\"expiry\":\"2099-01-01T00:00:00Z\"}"
printf '#!/bin/sh\ncase "$1" in version) echo 0.250.0 ;; auth) echo '"'"'%s'"'"' ;; *) exit 2 ;; esac\n' "$token_json" >"$cli_context/databricks"
chmod 755 "$cli_context/databricks"
printf 'FROM scratch\nCOPY databricks /app/databricks\n' >"$cli_context/Containerfile"
"${podman[@]}" build --quiet --format docker -t localhost/dbx-proxy-cli-standin:check "$cli_context" >/dev/null
"${podman[@]}" build --quiet "${build_extras[@]}" --format docker "${runtime_flags[@]}" --target with-databricks-cli \
  --build-arg "NODE_IMAGE=$base" --build-arg DATABRICKS_CLI_IMAGE=localhost/dbx-proxy-cli-standin:check -t "$image-cli" . >/dev/null
printf '[cli-login]\nhost = %s\nauth_type = databricks-cli\n' "$emulator_url" >"$workdir/databrickscfg"
chmod 644 "$workdir/databrickscfg"
"${podman[@]}" rm -f "$name" >/dev/null 2>&1
"${podman[@]}" run -d --name "$name" "${runtime_flags[@]}" --health-interval=disable --read-only --cap-drop=ALL --security-opt=no-new-privileges \
  -v "$workdir/databrickscfg:/home/node/.databrickscfg:ro" -e DATABRICKS_CONFIG_PROFILE=cli-login \
  -e DBX_PROXY_PORT="$port" -e DBX_PROXY_API_KEYS="$local_key" "$image-cli" >/dev/null 2>"$workdir/run.err" ||
  fail "podman run (with-databricks-cli): $(cat "$workdir/run.err")"
for _ in $(seq 60); do "${podman[@]}" healthcheck run "$name" >/dev/null 2>&1 && break; sleep 0.5; done
answer="$(ask_through "$port" "$local_key")"
case "$answer" in 200*) step "with-databricks-cli: the mounted profile's CLI login served a request ($(since "$t") s): $answer" ;; *) fail "with-databricks-cli: $answer" ;; esac
"${podman[@]}" kill --signal TERM "$name" >/dev/null
timeout "$grace_s" "${podman[@]}" wait "$name" >/dev/null || fail "with-databricks-cli: no exit after SIGTERM"

step "OK in $(since "$started_all") s; image size $((size_bytes / 1000000)) MB"
