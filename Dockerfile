# One image for every service of credit-graph; docker-compose.yml picks the entry point per container.
# Node 22 (LTS): Node 20 reached its end of life on 2026-04-30; the code runs on both (package.json "engines")
FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY lib ./lib
COPY schema ./schema
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY scripts ./scripts
USER node
# tsx (a runtime dependency) runs the TypeScript entry points as they are: no build step to drift.
CMD ["node", "--import", "tsx", "scripts/start.ts"]
