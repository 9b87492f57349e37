// STOWAWAY_VERIFIER_BASE_URLS: a JSON map provider → base URL, so tests and the demo can point
// verifiers at 127.0.0.1. https only, except plain http on a loopback address.
import { z } from "zod";

export const VERIFIER_PROVIDERS = [
  "github",
  "gitlab",
  "slack",
  "stripe",
  "openai",
  "anthropic",
  "sendgrid",
  "npm",
  "huggingface",
  "digitalocean",
  "groq",
  "postman",
  "aws",
] as const;
export type VerifierProvider = (typeof VERIFIER_PROVIDERS)[number];

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

const BaseUrl = z.string().refine(
  (v) => {
    try {
      const u = new URL(v);
      if (u.username || u.password || u.search || u.hash) return false;
      return u.protocol === "https:" || (u.protocol === "http:" && LOOPBACK.has(u.hostname));
    } catch {
      return false;
    }
  },
  { message: "must be an https:// URL (http:// only on 127.0.0.1/localhost), without credentials, query or fragment" },
);

export type VerifierBaseUrls = Partial<Record<VerifierProvider, string>>;

/** Parses the env value; returns problems instead of throwing (lib/env reports them with the rest). */
export function parseVerifierBaseUrls(raw: string | undefined): { ok: true; value: VerifierBaseUrls } | { ok: false; problems: string[] } {
  if (!raw || !raw.trim()) return { ok: true, value: {} };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, problems: ["STOWAWAY_VERIFIER_BASE_URLS must be a JSON object such as {\"github\":\"http://127.0.0.1:4010\"}"] };
  }
  const r = z.strictObject(Object.fromEntries(VERIFIER_PROVIDERS.map((p) => [p, BaseUrl.optional()]))).safeParse(json);
  if (!r.success) {
    return { ok: false, problems: r.error.issues.map((i) => `STOWAWAY_VERIFIER_BASE_URLS${i.path.length ? "." + i.path.join(".") : ""}: ${i.message}`) };
  }
  return { ok: true, value: Object.fromEntries(Object.entries(r.data).filter(([, v]) => v !== undefined)) as VerifierBaseUrls };
}
