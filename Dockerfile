# The engine's image: one build, two commands (worker and API). Used by docker-compose.yml. The production topology
# test (test/production/productionTopology.test.ts) reads the final stage's COPY lines and runs the processes from a
# folder holding exactly those files, so a runtime file missing here fails that test.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# What the engine reads at run time besides its code. The tenant files are not baked in: they are mounted
# (docker-compose.yml), as are the API keys, the payload keys and the TLS files.
COPY config/soc ./config/soc
COPY config/announcements ./config/announcements
COPY playbooks ./playbooks
COPY detection/rules ./detection/rules
COPY detection/mappings ./detection/mappings
USER node
# The worker bundles the workflows from dist/workflows at start.
CMD ["node", "dist/engine/workerProcess.js"]
