import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);

// Three suites (see scripts/test.mjs): unit tests beside the code, integration tests against
// real components (PGlite/PostgreSQL, registry, HTTP), browser tests against a built app.
export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "jobs/**/*.test.ts", "app/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "node_modules/**"],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.integration.test.ts", "lib/**/*.integration.test.ts", "jobs/**/*.integration.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.spec.ts"],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
