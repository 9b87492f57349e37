// Validation and normalisation of each identity kind. Pure; unit-tested. Returns field-level
// problems rather than throwing so that bulk adds can report every bad row at once.
import { isHostname, normalizeDomain } from "./domain";
import { parseEmailPattern } from "./email-pattern";

export const IDENTITY_KINDS = [
  "domain",
  "email_pattern",
  "known_name",
  "sanctioned_namespace",
  "exclusion",
  "cloud_account_id",
] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export const KNOWN_NAME_CATEGORIES = ["brand", "product", "host", "github_org", "other"] as const;
export const CLOUD_PROVIDERS = ["aws", "gcp", "azure"] as const;

export const KIND_LABELS: Record<IdentityKind, string> = {
  domain: "Domains",
  email_pattern: "Email patterns",
  known_name: "Known names",
  sanctioned_namespace: "Sanctioned Docker Hub namespaces",
  exclusion: "Exclusions",
  cloud_account_id: "Cloud account IDs",
};

export interface IdentityInput {
  value: string;
  category?: string | null | undefined;
  notes?: string | null | undefined;
}

export interface NormalizedIdentity {
  kind: IdentityKind;
  value: string;
  normalized: string;
  category: string | null;
  notes: string | null;
  warnings: string[];
}

export type FieldProblem = { path: "value" | "category" | "notes"; message: string };
export type Checked = { ok: true; item: NormalizedIdentity } | { ok: false; problems: FieldProblem[] };

// Names so common that a search for them returns thousands of unrelated accounts.
const GENERIC_NAMES = new Set([
  "app", "apps", "api", "web", "www", "site", "test", "tests", "demo", "dev", "prod", "stage", "staging", "admin",
  "docker", "image", "images", "server", "service", "services", "cloud", "data", "db", "backend", "frontend",
  "core", "main", "base", "tools", "tool", "utils", "lib", "node", "python", "java", "go", "ubuntu", "alpine",
  "nginx", "redis", "mysql", "postgres", "linux", "home", "mail", "portal", "platform", "project", "company",
]);

/** Warnings (not errors) shown next to a known name that will produce noisy discovery. */
export function nameWarnings(normalized: string): string[] {
  const w: string[] = [];
  if (normalized.replace(/[^a-z0-9]/g, "").length <= 3) {
    w.push("Very short names match many unrelated accounts; expect noisy discovery results");
  }
  if (GENERIC_NAMES.has(normalized)) {
    w.push("This is a generic word; discovery will find many accounts that are not yours");
  }
  return w;
}

const GITHUB_ORG_RE = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38}$/;
// Docker Hub namespaces: lowercase letters and digits, inner "-" or "_" allowed (organisations),
// 2–255 characters. Personal usernames are stricter (4–30 alphanumerics) but are a subset.
const NAMESPACE_RE = /^[a-z0-9](?:[a-z0-9_-]{0,253}[a-z0-9])$/;

function cleanName(raw: string): string {
  return raw.normalize("NFKC").trim().replace(/\s+/g, " ");
}

function checkNotes(notes: string | null | undefined, problems: FieldProblem[]): string | null {
  if (notes == null) return null;
  if (typeof notes !== "string") {
    problems.push({ path: "notes", message: "Notes must be text" });
    return null;
  }
  const n = notes.trim();
  if (n.length > 500) problems.push({ path: "notes", message: "Notes can be at most 500 characters" });
  return n || null;
}

export function normalizeIdentity(kind: IdentityKind, input: IdentityInput): Checked {
  const problems: FieldProblem[] = [];
  const raw = typeof input.value === "string" ? input.value : "";
  if (typeof input.value !== "string" || raw.trim() === "") {
    return { ok: false, problems: [{ path: "value", message: "Enter a value" }] };
  }
  if (raw.length > 300) return { ok: false, problems: [{ path: "value", message: "Value is too long (max 300 characters)" }] };
  const notes = checkNotes(input.notes, problems);
  let value = raw.trim();
  let normalized = "";
  let category: string | null = null;
  let warnings: string[] = [];
  const cat = typeof input.category === "string" && input.category.trim() ? input.category.trim().toLowerCase() : null;

  switch (kind) {
    case "domain": {
      const d = normalizeDomain(raw);
      if (!d.ok) problems.push({ path: "value", message: d.message });
      else value = normalized = d.value;
      break;
    }
    case "email_pattern": {
      const p = parseEmailPattern(raw);
      if (!p.ok) problems.push({ path: "value", message: p.message });
      else value = normalized = p.value.normalized;
      break;
    }
    case "known_name": {
      category = cat ?? "other";
      if (!(KNOWN_NAME_CATEGORIES as readonly string[]).includes(category)) {
        problems.push({ path: "category", message: `Category must be one of: ${KNOWN_NAME_CATEGORIES.join(", ")}` });
      }
      value = cleanName(raw);
      normalized = value.toLowerCase();
      if (value.length < 2 || value.length > 100) problems.push({ path: "value", message: "Names are 2 to 100 characters" });
      else if (!/[\p{L}\p{N}]/u.test(value)) problems.push({ path: "value", message: "A name needs at least one letter or digit" });
      else if (/[\p{Cc}\p{Cf}]/u.test(value)) problems.push({ path: "value", message: "Names cannot contain control characters" });
      else if (category === "github_org" && !GITHUB_ORG_RE.test(normalized)) {
        problems.push({ path: "value", message: "GitHub organisation names use letters, digits and single inner hyphens (max 39)" });
      } else if (category === "host") {
        normalized = normalized.replace(/\.+$/, "");
        if (!isHostname(normalized)) problems.push({ path: "value", message: "Host names use letters, digits, hyphens and dots, e.g. build01.corp.acme" });
        value = normalized;
      }
      if (!problems.length) warnings = nameWarnings(normalized);
      break;
    }
    case "exclusion": {
      value = cleanName(raw);
      normalized = value.toLowerCase();
      if (value.length < 2 || value.length > 100) problems.push({ path: "value", message: "Exclusions are 2 to 100 characters" });
      else if (!/[\p{L}\p{N}]/u.test(value) || /[\p{Cc}\p{Cf}]/u.test(value)) problems.push({ path: "value", message: "Use a name or namespace with letters or digits" });
      break;
    }
    case "sanctioned_namespace": {
      const ns = raw
        .trim()
        .toLowerCase()
        .replace(/^https?:\/\/hub\.docker\.com\/(?:u|r|orgs)\//, "")
        .replace(/^docker\.io\//, "")
        .replace(/\/+$/, "");
      if (!NAMESPACE_RE.test(ns)) {
        problems.push({ path: "value", message: "Docker Hub namespaces are 2–255 lowercase letters or digits, with inner - or _ allowed" });
      }
      value = normalized = ns;
      break;
    }
    case "cloud_account_id": {
      category = cat ?? "aws";
      const v = raw.trim().toLowerCase();
      if (category === "aws") {
        const digits = v.replace(/[\s-]/g, "");
        if (!/^\d{12}$/.test(digits)) problems.push({ path: "value", message: "AWS account IDs are 12 digits" });
        value = normalized = digits;
      } else if (category === "gcp") {
        if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(v)) problems.push({ path: "value", message: "GCP project IDs are 6–30 lowercase letters, digits or hyphens, starting with a letter" });
        value = normalized = v;
      } else if (category === "azure") {
        if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v)) problems.push({ path: "value", message: "Azure subscription IDs are GUIDs" });
        value = normalized = v;
      } else {
        problems.push({ path: "category", message: `Provider must be one of: ${CLOUD_PROVIDERS.join(", ")}` });
      }
      break;
    }
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, item: { kind, value, normalized, category, notes, warnings } };
}

export function isIdentityKind(k: string): k is IdentityKind {
  return (IDENTITY_KINDS as readonly string[]).includes(k);
}
