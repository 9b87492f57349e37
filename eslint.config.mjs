import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    // Dependencies point one way: app → lib, jobs → lib. lib never imports app or jobs.
    files: ["lib/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/app", "@/app/*", "**/app/*"], message: "lib/** must not import from app/** (domain code stays UI-free)." },
            { group: ["@/jobs", "@/jobs/*", "**/jobs/*"], message: "lib/** must not import from jobs/** (jobs compose lib, not the reverse)." },
          ],
        },
      ],
    },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  globalIgnores([".next/**", "node_modules/**", ".data/**", "lib/db/generated/**", "test-results/**", "coverage/**", "next-env.d.ts"]),
]);
