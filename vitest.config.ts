import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    // Setup builds the search engine and starts servers; a loaded machine must not fail it.
    hookTimeout: 60_000,
  },
});
