#!/usr/bin/env sh
# Installs the two Node peers the benchmark compares against into bench/peers/
# (git-ignored): @portkey-ai/gateway 1.15.2 and @musistudio/llms 1.0.53, the
# versions whose behaviour is documented in the project's peer notes.
# Portkey needs @hono/node-server pinned to 1.13.5: later versions fail with
# "TypeError: immutable" in updateHeaders (Portkey-AI/gateway #1389).
# Both are only ever started by bench/servers/*.mjs, bound to 127.0.0.1 and
# pointed at the local emulator.
set -eu
cd "$(dirname "$0")"
mkdir -p peers
cd peers
cat > package.json <<'JSON'
{
  "name": "dbx-proxy-bench-peers",
  "private": true,
  "description": "Peer gateways for bench/ (installed by bench/install-peers.sh; not part of dbx-proxy)",
  "dependencies": {
    "@portkey-ai/gateway": "1.15.2",
    "@musistudio/llms": "1.0.53"
  },
  "overrides": {
    "@hono/node-server": "1.13.5"
  }
}
JSON
# --ignore-scripts: nothing from the peers runs at install time.
npm install --no-audit --no-fund --ignore-scripts
echo "peers installed in $(pwd)/node_modules"
