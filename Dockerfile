# syntax=docker/dockerfile:1
# Cooperation Desk bot. The TypeScript is compiled in the build stage (`npm run build` → dist/); the
# image runs the compiled JavaScript with the production dependencies only (no tsx, no compiler).

# --- build ----------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY types ./types
COPY src ./src
RUN npm run build

# --- runtime --------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Read at run time from beside dist/, as from beside src/ in a clone.
COPY locales ./locales
COPY data ./data
# Runs as the unprivileged "node" user of the base image; the files stay root-owned and read-only to it.
USER node
EXPOSE 8080
# /healthz exists in polling and webhook modes (the image needs TELEGRAM_BOT_TOKEN; without one the
# bot would start the console chat, which has no HTTP server). Node's fetch: no curl in the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node directly (not npm): SIGTERM from `docker stop` reaches the bot, which shuts down gracefully.
CMD ["node", "--enable-source-maps", "dist/main.js"]
