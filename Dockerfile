# syntax=docker/dockerfile:1

# One image, two processes: the API (default CMD) and the Temporal worker
# (`node dist/src/worker.js`). Node must be >= 20.11 (package.json engines).
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: compile TypeScript and pre-bundle the workflows ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No dependency needs its install scripts (see DESIGN.md §3); skipping them also skips telemetry.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# `nest build`, then dist/workflow-bundle.js, which production workers load instead of bundling at start.
RUN npm run build

# ---- runtime: production dependencies and dist/ only ----
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist

# The app listens on 127.0.0.1 by default; in a container it must listen on all interfaces.
ENV HOST=0.0.0.0 \
    PORT=3000
EXPOSE 3000
USER node

# Liveness of the API (no curl in the slim image, so node's fetch). The worker serves no HTTP:
# disable this check when running the worker (docker-compose.yml does).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Call node directly: the npm start scripts run scripts/prepare.mjs, which installs dev tooling.
CMD ["node", "dist/src/main.js"]
