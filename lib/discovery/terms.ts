// Identity → search plan: which Hub searches to run and which namespaces to probe directly,
// ordered by expected value and cut to a budget so one organisation cannot spend the Hub rate
// limit. Deterministic: the same identity and budget always give the same plan.
import { DEFAULT_BUDGET, type Budget, type Identity, type KnownNameCategory, type PlanWarning } from "./types";

/** Words too common to search on their own (and everything of ≤ 3 characters). */
export const GENERIC_NAMES = new Set([
  "app", "apps", "api", "apis", "web", "www", "dev", "test", "demo", "docker", "image", "images", "cloud", "data",
  "server", "service", "services", "admin", "user", "team", "labs", "lab", "tech", "prod", "base", "core", "hub",
  "my", "the", "company", "corp", "inc", "group", "global", "online", "digital", "software", "systems",
  "solutions", "platform", "home", "main", "build", "ops", "devops", "backend", "frontend", "project", "sample",
  "example", "default", "latest", "official", "node", "python", "java", "golang", "nginx", "redis", "postgres",
  "mysql", "ubuntu", "alpine", "debian", "linux", "portal", "gateway", "worker", "agent", "client", "tools",
  "tool", "utils", "infra", "internal", "mobile", "site", "website", "store", "shop", "pay", "payments", "auth",
  "monitor", "analytics", "engine", "studio", "cli", "sdk", "bot", "db", "ai", "ml", "io", "net", "cms", "crm",
  "bank", "health", "energy", "media", "news", "games", "security", "finance",
]);

export const SHORT_NAME_LENGTH = 3;

/** Suffixes engineers put after a company name, tiered by how often they show up. */
const SUFFIX_TIER1 = ["corp", "inc", "io", "dev", "labs", "hq"];
const SUFFIX_TIER2 = ["team", "eng", "tech", "ops", "cloud", "official", "oss", "ltd", "llc", "co", "ai", "data", "devops", "internal", "ci", "bot", "build", "app"];
const PREFIXES = ["team", "the", "get"];
const SEPARATORS: Array<[string, number]> = [["", 1], ["-", 0.9], ["_", 0.6]];

const SECOND_LEVEL = new Set(["co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc"]);

/** Lowercase words of a name: "Acme Rockets, Inc." → ["acme", "rockets", "inc"]. */
export function words(s: string): string[] {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Strips separators: "Acme-Rockets_io" → "acmerocketsio". */
export function compact(s: string): string {
  return words(s).join("");
}

/** The registrable label of a domain: acme-rockets.com → acme-rockets; acme.co.uk → acme. */
export function domainLabel(domain: string): string {
  const parts = domain.toLowerCase().split(".");
  if (parts.length >= 3 && parts[parts.length - 1]!.length === 2 && SECOND_LEVEL.has(parts[parts.length - 2]!)) {
    return parts[parts.length - 3]!;
  }
  return parts.length >= 2 ? parts[parts.length - 2]! : parts[0]!;
}

export function isGeneric(term: string): boolean {
  const c = compact(term);
  return c.length <= SHORT_NAME_LENGTH || GENERIC_NAMES.has(c);
}

export interface NameTerm {
  /** separator-free lowercase form used for matching: "acmerockets" */
  compact: string;
  /** spellings seen: "acme-rockets", "acme_rockets", "acmerockets" */
  forms: string[];
  origin: "brand" | "product" | "github_org" | "domain" | "host" | "other" | "brand_word";
  /** how much a hit on this term is worth relative to the main brand (0..1) */
  strength: number;
  /** where it came from, for evidence sentences: 'known name "Acme Rockets"' */
  label: string;
}

export interface PlannedSearch {
  query: string;
  value: number;
  reason: string;
}

export interface PlannedLookup {
  namespace: string;
  value: number;
  reason: string;
}

export interface SearchPlan {
  searches: PlannedSearch[];
  lookups: PlannedLookup[];
  /** strong terms used for name evidence and search */
  terms: NameTerm[];
  /** generic/short names: matched only combined with a strong term */
  weakTerms: NameTerm[];
  warnings: PlanWarning[];
  budget: Budget;
}

const STRENGTH: Record<KnownNameCategory | "domain", number> = {
  brand: 1,
  domain: 1,
  github_org: 0.9,
  product: 0.6,
  host: 0.5,
  // the settings UI files an uncategorised name as "other": treat it like a brand
  other: 1,
};

function formsOf(name: string): string[] {
  const w = words(name);
  const out = new Set<string>();
  if (w.length === 0) return [];
  out.add(w.join(""));
  if (w.length > 1) {
    out.add(w.join("-"));
    out.add(w.join("_"));
  }
  // a name already written with separators keeps them ("acme-rockets")
  const literal = name.toLowerCase().trim();
  if (/^[a-z0-9][a-z0-9_-]*$/.test(literal)) out.add(literal);
  return [...out];
}

/** All strong and weak name terms of an identity. */
export function nameTerms(identity: Identity): { strong: NameTerm[]; weak: NameTerm[]; warnings: PlanWarning[] } {
  const byCompact = new Map<string, NameTerm>();
  const weak = new Map<string, NameTerm>();
  const warnings: PlanWarning[] = [];
  const add = (raw: string, origin: NameTerm["origin"], strength: number, label: string) => {
    const c = compact(raw);
    if (!c) return;
    const term: NameTerm = { compact: c, forms: formsOf(raw), origin, strength, label };
    if (isGeneric(raw)) {
      if (!weak.has(c)) {
        weak.set(c, term);
        const short = c.length <= SHORT_NAME_LENGTH && !GENERIC_NAMES.has(c);
        warnings.push({
          code: short ? "short_name" : "generic_name",
          value: raw,
          message: short
            ? `"${raw}" is very short; it is only searched together with a stronger name`
            : `"${raw}" is a common word; it is only searched together with a stronger name`,
        });
      }
      return;
    }
    const prev = byCompact.get(c);
    if (!prev || prev.strength < strength) {
      byCompact.set(c, { ...term, forms: [...new Set([...(prev?.forms ?? []), ...term.forms])] });
    } else {
      prev.forms = [...new Set([...prev.forms, ...term.forms])];
    }
  };
  for (const k of identity.knownNames) {
    if (k.category === "host") continue; // host names are matched in content, not searched
    add(k.name, k.category, STRENGTH[k.category], `known ${k.category === "brand" ? "name" : k.category.replace("_", " ")} "${k.name}"`);
  }
  for (const d of identity.domains) add(domainLabel(d), "domain", STRENGTH.domain, `domain ${d}`);
  // The first word of a multi-word brand ("acme" of "Acme Rockets") finds "acmecorp"-style
  // namespaces; weaker, and skipped when generic or excluded.
  for (const k of identity.knownNames) {
    if (k.category !== "brand" && k.category !== "other") continue;
    const w = words(k.name);
    if (w.length > 1 && !isGeneric(w[0]!) && !identity.exclusions.includes(w[0]!)) {
      const c = w[0]!;
      if (!byCompact.has(c)) byCompact.set(c, { compact: c, forms: [c], origin: "brand_word", strength: 0.45, label: `first word of "${k.name}"` });
    }
  }
  const strong = [...byCompact.values()].sort((a, b) => b.strength - a.strength || a.compact.localeCompare(b.compact));
  if (strong.length === 0) {
    warnings.push({
      code: "no_strong_terms",
      value: "",
      message: "every known name is generic or very short; add a distinctive brand name or a domain",
    });
  }
  return { strong, weak: [...weak.values()].sort((a, b) => a.compact.localeCompare(b.compact)), warnings };
}

const NAMESPACE_RE = /^[a-z0-9][a-z0-9_-]{1,38}[a-z0-9]$/;

export function buildSearchPlan(identity: Identity, budgetIn: Partial<Budget> = {}): SearchPlan {
  const budget: Budget = { ...DEFAULT_BUDGET, ...budgetIn };
  const { strong, weak, warnings } = nameTerms(identity);

  const searches = new Map<string, PlannedSearch>();
  const addSearch = (query: string, value: number, reason: string) => {
    const q = query.toLowerCase();
    const prev = searches.get(q);
    if (!prev || prev.value < value) searches.set(q, { query: q, value, reason });
  };
  for (const t of strong) {
    for (const [i, f] of t.forms.entries()) addSearch(f, t.strength * (i === 0 ? 1 : 0.9), t.label);
  }
  // Weak names only in combination with the strongest terms ("acme app").
  const anchors = strong.filter((t) => t.strength >= 0.9).slice(0, 2);
  for (const w of weak) for (const a of anchors) addSearch(`${a.compact} ${w.compact}`, 0.3, `${w.label} with ${a.label}`);
  for (const d of identity.domains) addSearch(d, 0.5, `domain ${d}`);

  const lookups = new Map<string, PlannedLookup>();
  const addLookup = (ns: string, value: number, reason: string) => {
    if (!NAMESPACE_RE.test(ns)) return;
    if (identity.sanctioned.includes(ns)) return; // inventory; handled separately
    const prev = lookups.get(ns);
    if (!prev || prev.value < value) lookups.set(ns, { namespace: ns, value, reason });
  };
  for (const t of strong) {
    const base = t.strength;
    for (const f of t.forms) addLookup(f, base, `${t.label}`);
    const stems = [...new Set([t.compact, ...t.forms.filter((f) => f.includes("-"))])];
    for (const stem of stems) {
      const stemFactor = stem === t.compact ? 1 : 0.85;
      for (const [sep, sepFactor] of SEPARATORS) {
        for (const s of SUFFIX_TIER1) addLookup(`${stem}${sep}${s}`, base * 0.7 * sepFactor * stemFactor, `variant of ${t.label}`);
        for (const s of SUFFIX_TIER2) addLookup(`${stem}${sep}${s}`, base * 0.4 * sepFactor * stemFactor, `variant of ${t.label}`);
        for (const p of PREFIXES) addLookup(`${p}${sep}${stem}`, base * 0.25 * sepFactor * stemFactor, `variant of ${t.label}`);
      }
    }
    for (const w of weak) {
      for (const [sep, sepFactor] of SEPARATORS) addLookup(`${t.compact}${sep}${w.compact}`, base * 0.5 * sepFactor, `${w.label} with ${t.label}`);
    }
  }

  const byValue = <T extends { value: number }>(key: (x: T) => string) => (a: T, b: T) =>
    b.value - a.value || key(a).localeCompare(key(b));
  const allSearches = [...searches.values()].sort(byValue((s) => s.query));
  const allLookups = [...lookups.values()].sort(byValue((l) => l.namespace));
  if (allSearches.length > budget.maxSearches) {
    warnings.push({
      code: "budget_truncated",
      value: "searches",
      message: `${allSearches.length - budget.maxSearches} lower-value searches were left out by the budget (${budget.maxSearches} per run)`,
    });
  }
  return {
    searches: allSearches.slice(0, budget.maxSearches),
    // profile budget is shared with accounts found by search, so runDiscovery cuts this list
    lookups: allLookups,
    terms: strong,
    weakTerms: weak,
    warnings,
    budget,
  };
}
