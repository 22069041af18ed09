# syntax=docker/dockerfile:1
# Jalur's own image: the API, the worker, the simulators and the one-off setup, chosen by the
# command (deploy/compose/docker-compose.yml and deploy/helm/jalur show each). Node 20, the version
# the tests run on. The workflow code is bundled at build (WORKFLOW_BUNDLE_PATH), so every worker
# replica runs the same bundle and starts without bundling.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY . .
# Installs everything (postinstall generates the Prisma client and builds the console), then
# bundles the workflows.
RUN npm ci && npm run build:workflows -- dist/workflow-bundle.js

# The one-off setup job: database migrations (the Prisma CLI, a development dependency) and the
# Temporal namespace and search attributes. Idempotent; run before each deployment.
FROM build AS setup
ENV NODE_ENV=production
CMD ["sh", "-c", "npx prisma migrate deploy && npm run temporal:setup"]

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
COPY --from=build /app /app
RUN npm prune --omit=dev --ignore-scripts \
  && mkdir -p /var/lib/jalur && chown node:node /var/lib/jalur
ENV NODE_ENV=production \
    API_HOST=0.0.0.0 \
    API_PORT=3000 \
    JALUR_DATA_DIR=/var/lib/jalur \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
USER node
EXPOSE 3000
# The API; the worker is `node --import tsx workers/main.ts`, the simulators `node --import tsx simulators/main.ts`.
CMD ["node", "--import", "tsx", "api/server.ts"]
