# syntax=docker/dockerfile:1
#
# One image for every ktrdr process: ktrdr-api, ktrdr-ib-host, ktrdr-training-host, `ktrdr worker`
# (and the simulator, ktrdr-ib-sim). The command picks which one runs; see compose.yaml and
# docs/guides/containers.md.
#
#   docker build -t ktrdr .
#   docker run --rm -e KTRDR_API_TOKEN=$(openssl rand -hex 32) -p 127.0.0.1:8000:8000 ktrdr
#   docker run --rm ktrdr ktrdr --help

# Node 20 on Debian bookworm, slim, pinned to a patch release (the version CI tests on); bump it
# on purpose, never by a rebuild.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---- build: install everything, compile, then drop the development dependencies ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# onnxruntime-node's install script would download CUDA binaries from outside the npm registry.
ENV ONNXRUNTIME_NODE_INSTALL=skip \
    npm_config_fund=false \
    npm_config_audit=false \
    npm_config_update_notifier=false

# The manifests alone first: the dependency layer is reused until one of them changes.
COPY package.json package-lock.json .npmrc ./
COPY packages/core/package.json packages/core/
COPY packages/ib-sim/package.json packages/ib-sim/
COPY packages/data/package.json packages/data/
COPY packages/training/package.json packages/training/
COPY packages/backtest/package.json packages/backtest/
COPY packages/queue/package.json packages/queue/
COPY packages/client/package.json packages/client/
COPY packages/server/package.json packages/server/
COPY packages/cli/package.json packages/cli/
COPY packages/dashboard/package.json packages/dashboard/
RUN npm ci

COPY tsconfig.base.json tsconfig.json ./
COPY packages packages
COPY docker docker
# Build, keep only the production dependencies, and gather what each package publishes.
RUN npm run build \
 && npm prune --omit=dev \
 && node docker/copy-package-files.mjs /out

# ---- runtime: production dependencies and built packages only, as the unprivileged `node` user ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PATH=/app/node_modules/.bin:$PATH \
    KTRDR_DATA_DIR=/var/lib/ktrdr/data \
    KTRDR_MODELS_DIR=/var/lib/ktrdr/models \
    LOG_FORMAT=json
WORKDIR /app
# Owned by root and read-only for the user that runs: the code cannot be changed at run time.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /out/packages packages
COPY --from=build /app/docker/healthcheck.mjs docker/healthcheck.mjs
# The data and models folders are volumes, owned by `node` (uid 1000) so that named volumes are too.
RUN mkdir -p /var/lib/ktrdr/data /var/lib/ktrdr/models \
 && chown -R node:node /var/lib/ktrdr
VOLUME ["/var/lib/ktrdr/data", "/var/lib/ktrdr/models"]
USER node
EXPOSE 8000 8001 8002
# The API on all interfaces of the container: it refuses to start without KTRDR_API_TOKEN.
CMD ["ktrdr-api", "--host", "0.0.0.0"]
