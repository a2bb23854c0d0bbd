# dbx-proxy as a container: a sidecar next to an agent's container, or one replica of a
# team's gateway (deploy/kubernetes/). Guide: docs/containers.md.
#
#   docker build -t dbx-proxy .            (or: podman build --format docker -t dbx-proxy .)
#   docker run --init -p 8420:8420 --read-only -e DATABRICKS_HOST -e DATABRICKS_TOKEN \
#     -e DBX_PROXY_API_KEYS=<a local key> dbx-proxy
#
# Inside a container the proxy listens on 0.0.0.0 to be reachable, and it refuses to do that
# without local API keys (DBX_PROXY_API_KEYS) unless every caller brings its own Databricks
# token (DBX_PROXY_PASSTHROUGH_AUTH=true).
#
# A corporate TLS-inspecting proxy: mount its CA bundle and point NODE_EXTRA_CA_CERTS at it,
#   -v /etc/corp/ca.pem:/etc/dbx-proxy/ca.pem:ro -e NODE_EXTRA_CA_CERTS=/etc/dbx-proxy/ca.pem
# Node reads it once at start; it adds to the bundled roots rather than replacing them.
#
# NODE_IMAGE is the base of both stages. Its default is the official image; a machine that
# cannot pull it passes a local image with the same Node major (scripts/image-check.sh does).
ARG NODE_IMAGE=node:24-slim
# Only the with-databricks-cli target uses it (see the end of this file).
ARG DATABRICKS_CLI_IMAGE=ghcr.io/databricks/cli:latest

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first, in their own layer: a source change does not download them again.
# No install scripts: `prepare` (the build) needs the sources, copied below.
# Behind a TLS-inspecting proxy npm needs its CA: pass it as the build secret `ca`
#   (docker build --secret id=ca,src=/path/ca.pem .); without it Node notes the missing file and goes on.
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=ca NODE_EXTRA_CA_CERTS=/run/secrets/ca npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# XDG_STATE_HOME: the state directory (cached catalog, usage history) lives under /tmp, which is
# writable when the root file system is read-only (podman's --read-only mounts a tmpfs there;
# Kubernetes mounts an emptyDir, deploy/kubernetes/).
ENV NODE_ENV=production DBX_PROXY_LISTEN=0.0.0.0 DBX_PROXY_PORT=8420 XDG_STATE_HOME=/tmp/state
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# The status page's assets, read at start (src/observability/status/).
COPY web ./web
COPY config.example.yaml ./
# The official image's unprivileged user (uid 1000); numeric, so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8420
# No curl in the image: Node itself asks /health (src/container/healthcheck.ts).
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 CMD ["node", "dist/container/healthcheck.js"]
# Node is PID 1 and handles SIGTERM itself (drains streams for server.shutdownGraceMs, then exits).
# It spawns no children except `databricks auth token` for CLI logins: run with --init (tini) to reap those.
ENTRYPOINT ["node", "bin/dbx-proxy.js"]
CMD ["serve"]

# For `databricks auth login` users: the SDK gets their tokens by running `databricks auth token`,
# which reads and refreshes the CLI's token cache; the SDK cannot read that cache itself. This
# target adds the CLI's static binary from Databricks' own image:
#   docker build --target with-databricks-cli -t dbx-proxy:cli .
# and the container gets the host's login mounted: ~/.databrickscfg read-only, ~/.databricks
# writable (the CLI refreshes tokens into it). docs/containers.md.
FROM ${DATABRICKS_CLI_IMAGE} AS databricks-cli
FROM runtime AS with-databricks-cli
COPY --from=databricks-cli /app/databricks /usr/local/bin/databricks

# The default target: the image without the CLI.
FROM runtime
