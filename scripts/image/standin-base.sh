#!/usr/bin/env bash
# Builds a stand-in for the official Node image (node:24-slim) from this machine's own Node,
# for machines that cannot pull from a registry. It holds what the Dockerfile relies on and
# no more: node and npm under /usr/local (where the official image keeps them), the shared
# libraries node links against, /bin/sh and /usr/bin/env (RUN lines and npm's shebang), and
# the unprivileged user `node` (uid 1000). Usage: standin-base.sh <tag>; the Node on PATH
# must have the Dockerfile's major (24), so the stand-in runs the code the real base would.
set -euo pipefail
tag="${1:?usage: standin-base.sh <image tag>}"
want_major=24
podman_cmd=(${PODMAN:-podman})

node_bin="$(readlink -f "$(command -v node)")"
major="$("$node_bin" -p 'process.versions.node.split(".")[0]')"
if [ "$major" != "$want_major" ]; then
  echo "standin-base: the node on PATH is v$major; the image needs Node $want_major (put Node $want_major first on PATH)" >&2
  exit 1
fi
# The npm that runs here (its package directory, whichever prefix it was installed under).
npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
[ -f "$npm_dir/bin/npm-cli.js" ] || { echo "standin-base: no npm found at $npm_dir" >&2; exit 1; }

context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
root="$context/rootfs"
mkdir -p "$root"/{usr/local/bin,usr/local/lib/node_modules,usr/bin,bin,etc,tmp,home/node}
cp "$node_bin" "$root/usr/local/bin/node"
cp /bin/dash "$root/bin/sh"
cp /usr/bin/env "$root/usr/bin/env"
cp -r "$npm_dir" "$root/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
# Every library the three programs load, at the path the dynamic loader looks for it.
for lib in $(ldd "$node_bin" /bin/dash /usr/bin/env | grep -o '/[^ ]*\.so[^ ]*' | sort -u); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' >"$root/etc/group"
chmod 1777 "$root/tmp"
chown 1000:1000 "$root/home/node"
cat >"$context/Containerfile" <<'CONTAINERFILE'
FROM scratch
COPY rootfs/ /
ENV PATH=/usr/local/bin:/usr/bin:/bin
CMD ["node"]
CONTAINERFILE
"${podman_cmd[@]}" build --quiet --format docker --network=host -t "$tag" "$context" >/dev/null
echo "standin-base: built $tag (node $("$node_bin" --version), npm $("$node_bin" "$npm_dir/bin/npm-cli.js" --version))"
