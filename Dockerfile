# One image for every service of credit-graph; docker-compose.yml picks the entry point per container.
# Node 22 (LTS): Node 20 reached its end of life on 2026-04-30; the code runs on both (package.json "engines")

# build: the TypeScript compiled to JavaScript (npm run build: dist/, with the SDL, SQL and calendar files beside it)
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY lib ./lib
COPY schema ./schema
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY scripts ./scripts
RUN npm run build

# runtime: the production dependencies and the compiled code only; no compiler, no tsx, no source maps
FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# each client's registered operations (data the gateway watches; in Kubernetes, mount a ConfigMap over it)
COPY operations ./operations
USER node
CMD ["node", "dist/scripts/start.js"]
