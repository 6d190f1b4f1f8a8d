# syntax=docker/dockerfile:1
#
# One image for every Tightloop service. The service is chosen by the command:
#
#   docker build -t tightloop:local .
#   docker run --rm tightloop:local serve strategy
#
# or by a per-service target that only sets that command (docker-compose.yml uses these):
#
#   docker build --target strategy -t tightloop-strategy:local .
#
# TypeScript runs through tsx at run time (bin/tightloop.js), so there is no build step and
# no dist/: the image carries the sources and the installed node_modules.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- dependencies -------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Exactly the locked versions. Dev dependencies stay: the whole workspace is what
# bin/tightloop.js runs.
RUN npm ci --no-audit --no-fund \
  && npm cache clean --force

# --- runtime: `node bin/tightloop.js <command>` -------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HTTP_PORT=3000 \
    TIGHTLOOP_DATA_DIR=/data \
    TIGHTLOOP_RESULTS_DIR=/var/lib/tightloop/results \
    TIGHTLOOP_CACHE_DIR=/tmp/tightloop-cache
WORKDIR /app

# Files stay owned by root and read-only to the service user; only the results directory
# (a volume) and /tmp (tsx's compile cache, the synthetic-data cache) are written.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY bin ./bin
COPY apps ./apps
COPY libs ./libs
COPY examples ./examples
RUN mkdir -p /data /var/lib/tightloop/results \
  && chown 1000:1000 /var/lib/tightloop/results

# The base image's `node` user, by number: Kubernetes' runAsNonRoot can only verify a
# numeric user.
USER 1000:1000

EXPOSE 3000
# Process up (not readiness: a service waiting for NATS or Postgres is alive, not broken).
# No curl in the slim image; Node 20 has fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||3000)+'/health/live',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

ENTRYPOINT ["node", "bin/tightloop.js"]
CMD ["--help"]

# --- one target per service: the same image with its own command --------------------------
FROM runtime AS run-controller
ENV HTTP_PORT=8080
EXPOSE 8080
CMD ["serve", "run-controller"]

FROM runtime AS position-monitor
CMD ["serve", "position-monitor"]

FROM runtime AS exposure-monitor
CMD ["serve", "exposure-monitor"]

FROM runtime AS risk-monitor
CMD ["serve", "risk-monitor"]

FROM runtime AS pnl-monitor
CMD ["serve", "pnl-monitor"]

FROM runtime AS strategy
CMD ["serve", "strategy"]

FROM runtime AS execution
CMD ["serve", "execution"]

# The default target (a plain `docker build .`) is the generic image.
FROM runtime
