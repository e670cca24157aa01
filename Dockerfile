# One image for every process of the methodological service graph: the
# gateway, each subgraph service, and the one-shot migration/seed job.
# docker-compose.yml picks what runs by overriding the command, e.g.
#   node --import tsx services/staff/src/main.ts
#   node --import tsx scripts/migrate.ts up
# TypeScript runs directly through tsx; there is no separate build step.

# --- Stage 1: only the npm manifests --------------------------------------
# npm workspaces need every workspace's package.json before `npm ci`. Copying
# just those (with their folders) into their own stage means the dependency
# layer below is rebuilt only when a manifest or the lockfile changes, not on
# every source edit.
FROM node:24-bookworm-slim AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -depth -type d -empty -delete

# --- Stage 2: the runtime image ---------------------------------------------
FROM node:24-bookworm-slim
WORKDIR /app

# Full install (not --omit=dev): tsx, which runs the TypeScript, is a
# devDependency. Installed as root so the app user cannot modify the code.
COPY --from=manifests /src/ ./
RUN npm ci --no-audit --no-fund \
 && npm cache clean --force

COPY . .

# The only place the app writes to: .data/ holds the development signing key
# (used when AUTH_JWKS_URL is unset). docker-compose.yml mounts a volume here;
# a fresh named volume copies this folder, node ownership included.
RUN mkdir -p /app/.data && chown node:node /app/.data

# Run as the unprivileged user that the node image provides.
USER node

# The gateway's port; subgraphs listen on the PORT set in docker-compose.yml.
EXPOSE 4000

# Default process: the gateway. docker-compose.yml overrides this per service.
CMD ["node", "--import", "tsx", "gateway/src/main.ts"]
