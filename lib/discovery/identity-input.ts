// Validation of identity.json (the CLI's input; the app stores the same items as IdentityItem
// rows). Bad input becomes an AppError with one issue per field, never a crash.
import { z } from "zod";
import { AppError, invalidInput } from "../errors";
import { normalizeDomain } from "../identity/domain";
import { emailPatternProblem, isValidDomain } from "./email-pattern";
import type { CloudAccountId, Identity, KnownName } from "./types";

const MAX_ITEMS = 200;

// Same normalisation and messages as the app's identity settings (lib/identity/domain), so a
// domain accepted in the UI is accepted here and vice versa ("https://www.Acme.com/x" → "acme.com").
const domain = z.string().transform((s, ctx) => {
  const r = normalizeDomain(s);
  if (!r.ok) {
    ctx.addIssue({ code: "custom", message: r.message });
    return z.NEVER;
  }
  return r.value;
});

const emailPattern = z
  .string()
  .max(1000, "email pattern is longer than 254 characters")
  .superRefine((s, ctx) => {
    const problem = emailPatternProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: `email pattern "${s.slice(0, 80)}" ${problem}` });
  })
  .transform((s) => s.trim().toLowerCase());

const nameText = z
  .string()
  .trim()
  .min(1, "name is empty")
  .max(100, "name is longer than 100 characters")
  .refine((s) => /[\p{L}\p{N}]/u.test(s), { message: "name must contain a letter or digit" });

// A bare string is shorthand for {name, category: "brand"}; preprocess (not a union) so errors
// stay specific ("name is empty") instead of zod's generic "Invalid input".
const knownName = z.preprocess(
  (v) => (typeof v === "string" ? { name: v } : v),
  z
    .object({
      name: nameText,
      category: z.enum(["brand", "product", "host", "github_org", "other"]).default("brand"),
      notes: z.string().max(500).optional(),
    })
    .strict()
    .superRefine((k, ctx) => {
      if (k.category === "github_org" && !/^[a-z0-9](?:[a-z0-9-]{0,38})$/i.test(k.name)) {
        ctx.addIssue({ code: "custom", path: ["name"], message: "is not a valid GitHub organisation name" });
      }
      if (k.category === "host" && !isValidDomain(k.name.toLowerCase())) {
        ctx.addIssue({ code: "custom", path: ["name"], message: "host names must be valid DNS names" });
      }
    })
    .transform((k): KnownName => ({ name: k.name, category: k.category, ...(k.notes ? { notes: k.notes } : {}) })),
);

const namespace = z
  .string()
  .trim()
  .transform((s) => s.toLowerCase())
  .refine((s) => /^[a-z0-9][a-z0-9_.-]{1,254}$/.test(s), {
    message: "is not a Docker Hub namespace (lowercase letters, digits, - _ .)",
  });

// A bare string is an AWS account id.
const cloudAccountId = z.preprocess(
  (v) => (typeof v === "string" ? { provider: "aws", id: v } : v),
  z
    .object({ provider: z.enum(["aws", "gcp", "azure"]), id: z.string().trim().min(1).max(100) })
    .strict()
    .superRefine((c, ctx) => {
      const ok =
        c.provider === "aws"
          ? /^\d{12}$/.test(c.id.replace(/-/g, ""))
          : c.provider === "azure"
            ? /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(c.id)
            : /^(?:\d{6,20}|[a-z][a-z0-9-]{4,28}[a-z0-9])$/.test(c.id);
      if (!ok) {
        const hint = c.provider === "aws" ? " (12 digits)" : "";
        ctx.addIssue({ code: "custom", path: ["id"], message: `"${c.id.slice(0, 40)}" is not a valid ${c.provider} account id${hint}` });
      }
    })
    .transform((c): CloudAccountId => ({ provider: c.provider, id: c.provider === "aws" ? c.id.replace(/-/g, "") : c.id.toLowerCase() })),
);

export const IdentityInputSchema = z
  .object({
    // optional descriptive fields the example file carries
    $schema: z.string().optional(),
    organization: z.string().max(200).optional(),
    name: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    // shorthand for knownNames {category: "github_org"}
    githubOrgs: z
      .array(z.string().trim().regex(/^[a-z0-9](?:[a-z0-9-]{0,38})$/i, "is not a valid GitHub organisation name"))
      .max(MAX_ITEMS)
      .default([]),
    packageScopes: z
      .array(
        z
          .string()
          .trim()
          .transform((s) => s.toLowerCase().replace(/\/$/, ""))
          .refine((s) => /^@?[a-z0-9][a-z0-9._-]{1,100}$/.test(s), { message: 'is not a package scope (e.g. "@acme-rockets")' }),
      )
      .max(MAX_ITEMS)
      .default([]),
    domains: z.array(domain).max(MAX_ITEMS).default([]),
    emailPatterns: z.array(emailPattern).max(MAX_ITEMS).default([]),
    knownNames: z.array(knownName).max(MAX_ITEMS).default([]),
    sanctioned: z.array(namespace).max(MAX_ITEMS).default([]),
    exclusions: z.array(nameText.transform((s) => s.toLowerCase())).max(MAX_ITEMS).default([]),
    cloudAccountIds: z.array(cloudAccountId).max(MAX_ITEMS).default([]),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.domains.length === 0 && v.knownNames.length === 0) {
      ctx.addIssue({ code: "custom", path: ["knownNames"], message: "give at least one domain or known name to search for" });
    }
  });

const uniq = <T>(xs: T[], key: (x: T) => string): T[] => {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = key(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

/** Validates and normalises identity input (parsed JSON). Throws AppError INVALID_INPUT. */
export function parseIdentity(input: unknown): Identity {
  const r = IdentityInputSchema.safeParse(input);
  if (!r.success) throw invalidInput(r.error.issues, "The identity is invalid");
  const v = r.data;
  return {
    domains: uniq(v.domains, (d) => d),
    emailPatterns: uniq(v.emailPatterns, (p) => p),
    knownNames: uniq(
      [...v.knownNames, ...v.githubOrgs.map((name): KnownName => ({ name, category: "github_org" }))],
      (k) => `${k.category}:${k.name.toLowerCase()}`,
    ),
    sanctioned: uniq(v.sanctioned, (s) => s),
    exclusions: uniq(v.exclusions, (s) => s),
    cloudAccountIds: uniq(v.cloudAccountIds, (c) => `${c.provider}:${c.id}`),
    packageScopes: uniq(
      v.packageScopes.map((s) => (s.startsWith("@") ? s : `@${s}`)),
      (s) => s,
    ),
  };
}

/** Parses identity.json text; JSON syntax errors become INVALID_INPUT too. */
export function parseIdentityJson(text: string): Identity {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new AppError("INVALID_INPUT", `identity file is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return parseIdentity(data);
}

/** "knownNames.2: name is empty" lines for stderr / API responses. */
export function formatIdentityErrors(e: AppError): string {
  if (!e.issues?.length) return e.message;
  return [e.message + ":", ...e.issues.map((i) => `  ${i.path}: ${i.message}`)].join("\n");
}
