// Configuration, validated once. Every variable is documented in .env.example.
// Testable code receives config as arguments; only edges (app, jobs, CLI) call getEnv().
import path from "node:path";
import { z } from "zod";
import { parseVerifierBaseUrls } from "./liveness/config";

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

const url = (what: string) =>
  z.url({ message: `${what} must be an absolute http(s) URL` }).refine((u) => /^https?:\/\//.test(u), {
    message: `${what} must start with http:// or https://`,
  });

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z
      .string()
      .optional()
      .refine((v) => !v || /^postgres(ql)?:\/\//.test(v), {
        message: "DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)",
      }),
    STOWAWAY_DATA_DIR: z.string().default("./.data"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    NEXTAUTH_URL: z.string().optional(),
    NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters").optional(),
    STOWAWAY_ENCRYPTION_KEY: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, "STOWAWAY_ENCRYPTION_KEY must be 64 hex characters (32 bytes)")
      .optional(),
    OIDC_ISSUER: url("OIDC_ISSUER").optional(),
    OIDC_CLIENT_ID: z.string().optional(),
    OIDC_CLIENT_SECRET: z.string().optional(),
    OIDC_NAME: z.string().default("Single sign-on"),
    STOWAWAY_HUB_API_URL: url("STOWAWAY_HUB_API_URL").default("https://hub.docker.com"),
    STOWAWAY_REGISTRY_URL: url("STOWAWAY_REGISTRY_URL").default("https://registry-1.docker.io"),
    STOWAWAY_SEARCH_URL: url("STOWAWAY_SEARCH_URL").default("https://index.docker.io"),
    STOWAWAY_HUB_USERNAME: z.string().optional(),
    STOWAWAY_HUB_TOKEN: z.string().optional(),
    INNGEST_EVENT_KEY: z.string().optional(),
    INNGEST_SIGNING_KEY: z.string().optional(),
    INNGEST_BASE_URL: url("INNGEST_BASE_URL").optional(),
    STOWAWAY_JOBS_DISABLED: bool,
    STOWAWAY_SCAN_RECENT_TAGS: z.coerce.number().int().min(0).max(50).default(3),
    STOWAWAY_HUB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    // lib/liveness: provider base URLs (JSON map) and an installation-wide off switch
    STOWAWAY_VERIFIER_BASE_URLS: z.string().optional(),
    STOWAWAY_LIVENESS_DISABLED: bool,
    // earlier encryption keys (comma-separated, 64 hex each): they still open values sealed before a rotation
    STOWAWAY_ENCRYPTION_KEY_PREVIOUS: z
      .string()
      .regex(/^[0-9a-fA-F]{64}(,[0-9a-fA-F]{64})*$/, "STOWAWAY_ENCRYPTION_KEY_PREVIOUS must be comma-separated 64-hex-character keys")
      .optional(),
  })
  .superRefine((e, ctx) => {
    const verifierUrls = parseVerifierBaseUrls(e.STOWAWAY_VERIFIER_BASE_URLS);
    if (!verifierUrls.ok) for (const message of verifierUrls.problems) ctx.addIssue({ code: "custom", path: ["STOWAWAY_VERIFIER_BASE_URLS"], message });
    const oidc = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter(Boolean).length;
    if (oidc > 0 && oidc < 3) {
      ctx.addIssue({
        code: "custom",
        path: ["OIDC_ISSUER"],
        message: "single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together",
      });
    }
    if (Boolean(e.INNGEST_EVENT_KEY) !== Boolean(e.INNGEST_SIGNING_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: ["INNGEST_EVENT_KEY"],
        message: "Inngest mode needs both INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY",
      });
    }
    if (Boolean(e.STOWAWAY_HUB_USERNAME) !== Boolean(e.STOWAWAY_HUB_TOKEN)) {
      ctx.addIssue({
        code: "custom",
        path: ["STOWAWAY_HUB_USERNAME"],
        message: "Docker Hub credentials need both STOWAWAY_HUB_USERNAME and STOWAWAY_HUB_TOKEN",
      });
    }
  });

export type Env = z.infer<typeof EnvSchema> & { dataDir: string; jobsMode: "inngest" | "embedded" };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings mean "unset" (as in a copied .env.example).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const r = EnvSchema.safeParse(cleaned);
  if (!r.success) {
    throw new ConfigError(r.error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`));
  }
  return {
    ...r.data,
    dataDir: path.resolve(r.data.STOWAWAY_DATA_DIR),
    jobsMode: r.data.INNGEST_EVENT_KEY ? "inngest" : "embedded",
  };
}

let cached: Env | undefined;
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
/** Tests change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
