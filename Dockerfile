# dbx-proxy as a sidecar container.
#   docker build -t dbx-proxy .
#   docker run -p 8420:8420 -e DATABRICKS_HOST -e DATABRICKS_TOKEN -e DBX_PROXY_API_KEYS=<a local key> dbx-proxy
# Inside a container the proxy must listen on 0.0.0.0 to be reachable, and it refuses to
# do that without local API keys (DBX_PROXY_API_KEYS): clients send one as their API key.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
RUN npm ci && npm prune --omit=dev

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production DBX_PROXY_LISTEN=0.0.0.0 DBX_PROXY_PORT=8420
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY config.example.yaml ./
USER node
EXPOSE 8420
ENTRYPOINT ["node", "bin/dbx-proxy.js"]
CMD ["serve"]
