# syntax=docker/dockerfile:1
# Ambulance tracking server image: compiled in a build stage, run on a slim Node image with production
# dependencies only, as the unprivileged `node` user. Production uses MongoDB (MONGODB_URI), so neither Go
# nor FerretDB is in the image.
ARG NODE_IMAGE=node:24-bookworm-slim

# Production dependencies only (cached until package.json or the lock changes).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# `npm install` rather than `npm ci` (see README); no install scripts are needed at run time.
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# Everything needed to compile.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
COPY client ./client
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=5000 \
    UPLOAD_DIR=/data/uploads
# V8's old generation capped inside the replica's memory limit (docker-compose.yml: 512m), leaving 128 MB for the
# rest of the process: Node sizes its heap from the container's whole limit, so without a cap the kernel kills a
# busy replica before V8 collects. Set NODE_OPTIONS in the app's environment when you change that limit
# (docs/operations.md).
ENV NODE_OPTIONS="--max-old-space-size=384"
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/scripts ./dist/scripts
COPY --from=build /app/dist/dashboard ./dist/dashboard
COPY package.json ./
# The uploads volume is initialised from this directory, so it belongs to the user the server runs as.
RUN mkdir -p /data/uploads && chown node:node /data/uploads
USER node
EXPOSE 5000
# The legacy Socket.IO endpoint, when LEGACY_SOCKET_PORT=5050 (docker-compose.yml).
EXPOSE 5050
# Node is PID 1 in exec form, so SIGTERM reaches it directly and the server drains within SHUTDOWN_GRACE_SECONDS.
STOPSIGNAL SIGTERM
# Liveness only (no dependencies): curl is not in slim images, Node's fetch is.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||5000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# A 4 MB young generation (V8's default is larger): ~18 MB less resident memory idle, the same latency under
# load (docs/performance.md, "Positions taken ahead").
CMD ["node", "--max-semi-space-size=4", "dist/src/main.js"]
