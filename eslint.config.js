import js from "@eslint/js";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

/**
 * Folders only look down: each layer imports only the layers it lists in `uses`, all of them below it.
 * Bottom to top: shared roots (logger, redact, shorten) and the Telegram emulator (the console's Bot API and
 * the tests'), the catalog, what builds on the catalog alone (search, i18n, announcements, state), the services (live catalog, broadcast delivery, deadline reminders, the HTTP server), the
 * bot, then the composition root (src/app/: builds every service and connection once, runs the Telegram
 * modes) and at the top the entry points (main, worker, console, CLIs), which alone read the configuration.
 * Inside the bot: its base (context, formatting, lists, callback data, middlewares, filters), then
 * keyboards, views, features, and createBot.
 */
const services = [
  "shared",
  "catalog",
  "search",
  "i18n",
  "announcements",
  "state",
  "live",
  "broadcast",
  "reminders",
  "server",
];
const bot = ["bot base", "bot keyboards", "bot views", "bot features", "createBot"];
const layers = {
  shared: {
    files: [
      "src/redact.ts",
      "src/logger.ts",
      "src/settles-within.ts",
      "src/shorten.ts",
      "src/redis-connection.ts",
      "src/grammy.ts",
    ],
    uses: [],
  },
  "telegram emulator": { files: ["src/telegram-emulator"], uses: [] },
  catalog: { files: ["src/catalog"], uses: ["shared"] },
  search: { files: ["src/search"], uses: ["shared", "catalog"] },
  i18n: { files: ["src/i18n.ts"], uses: ["shared", "catalog"] },
  announcements: { files: ["src/announcements"], uses: ["shared", "catalog"] },
  state: { files: ["src/state"], uses: ["shared", "catalog"] },
  live: { files: ["src/live"], uses: ["shared", "catalog", "search", "announcements", "state"] },
  broadcast: { files: ["src/broadcast"], uses: ["shared", "catalog", "announcements", "state"] },
  reminders: { files: ["src/reminders"], uses: ["shared", "catalog"] },
  server: { files: ["src/server"], uses: ["shared"] },
  "bot base": {
    files: [
      "src/bot/context.ts",
      "src/bot/format.ts",
      "src/bot/lists.ts",
      "src/bot/commands.ts",
      "src/bot/errors.ts",
      "src/bot/html-default.ts",
      "src/bot/callback-data",
      "src/bot/middlewares",
      "src/bot/filters",
    ],
    uses: services,
  },
  "bot keyboards": { files: ["src/bot/keyboards"], uses: [...services, "bot base"] },
  "bot views": { files: ["src/bot/views"], uses: [...services, "bot base", "bot keyboards"] },
  "bot features": { files: ["src/bot/features"], uses: [...services, "bot base", "bot keyboards", "bot views"] },
  createBot: {
    files: ["src/bot/index.ts"],
    uses: [...services, "bot base", "bot keyboards", "bot views", "bot features"],
  },
  app: { files: ["src/app", "src/config.ts"], uses: [...services, ...bot] },
  "entry points": {
    files: ["src/main.ts", "src/worker-main.ts", "src/shared-dir.ts", "src/console", "src/cli"],
    uses: [...services, ...bot, "app", "telegram emulator"],
  },
};

const layerZones = Object.entries(layers).flatMap(([name, layer]) =>
  Object.entries(layers)
    .filter(([other]) => other !== name && !layer.uses.includes(other))
    .map(([other, { files }]) => ({
      target: layer.files,
      from: files,
      message: `${name} does not import ${other}: folders only look down (see the layers in eslint.config.js).`,
    })),
);

export default tseslint.config(
  { ignores: ["node_modules/", "coverage/", "dist/", ".scratch/", "bench/out/", ".test-build-*/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      eqeqeq: ["error", "always"],
      "no-console": "off",
    },
  },
  {
    files: ["src/**/*.ts"],
    plugins: { "import-x": importX },
    settings: {
      // The sources import "./x.js" for x.ts (NodeNext).
      "import-x/resolver-next": [createNodeResolver({ extensionAlias: { ".js": [".ts", ".js"] } })],
    },
    rules: { "import-x/no-restricted-paths": ["error", { zones: layerZones }] },
  },
);
