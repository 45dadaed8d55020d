# The engine's image: one build, two commands (worker and API). Used by docker-compose.yml.
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
COPY config/tenants ./config/tenants
COPY detection/rules ./detection/rules
USER node
# The worker bundles the workflows from dist/workflows at start.
CMD ["node", "dist/workers/worker.js"]
