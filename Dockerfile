# syntax=docker/dockerfile:1
# Cooperation Desk bot. The image runs the TypeScript sources with tsx, exactly like `npm start`
# (one code path in development, tests and production); tsx is a dev dependency, so the
# dependencies are installed whole with `npm ci`.

# --- dependencies -----------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force

# --- runtime --------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
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
CMD ["node", "--import", "tsx", "src/main.ts"]
