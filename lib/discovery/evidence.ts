// Evidence extraction: pure functions from what the Hub shows (profile, namespace, image config,
// README, scanner hints) to evidence items. Each item carries the exact matched value and where
// it was seen; never a secret (an AWS key yields only its decoded account id).
import type { HubAccountProfile, ImageConfig } from "../hub/types";
import { compileEmailPattern, type CompiledEmailPattern } from "./email-pattern";
import { compact, domainLabel, words, type NameTerm, type SearchPlan } from "./terms";
import type { Evidence, EvidenceType, Identity } from "./types";

/** Positive weights (probability-like) and negative factors. Chosen as described in docs/discovery.md. */
export interface EvidenceWeights {
  domain_audit: number;
  profile_company: number;
  profile_url: number;
  profile_full_name: number;
  profile_email: number;
  content_email: number;
  content_email_domain: number;
  content_host: number;
  content_apex_domain: number;
  git_remote: number;
  package_scope: number;
  aws_account: number;
  name_exact: number;
  name_contains: number;
  /** multiplier for matches found only in README prose (weaker than config) */
  readme_factor: number;
  // negative factors (multiply the confidence)
  exclusion: number;
  previously_dismissed: number;
  official_image: number;
  verified_publisher: number;
  other_company: number;
  other_owner: number;
  other_website: number;
  disclaimer: number;
  lookalike_domain: number;
}

export const DEFAULT_WEIGHTS: EvidenceWeights = {
  domain_audit: 0.99,
  profile_company: 0.6,
  profile_url: 0.7,
  profile_full_name: 0.5,
  profile_email: 0.85,
  content_email: 0.85,
  content_email_domain: 0.7,
  content_host: 0.6,
  content_apex_domain: 0.45,
  git_remote: 0.75,
  package_scope: 0.6,
  aws_account: 0.9,
  name_exact: 0.5,
  name_contains: 0.15,
  readme_factor: 0.75,
  exclusion: 0.05,
  previously_dismissed: 0.5,
  official_image: 0.02,
  verified_publisher: 0.2,
  other_company: 0.5,
  other_owner: 0.6,
  other_website: 0.8,
  disclaimer: 0.3,
  lookalike_domain: 0.4,
};

export interface MatchContext {
  identity: Identity;
  terms: NameTerm[];
  weakTerms: NameTerm[];
  patterns: CompiledEmailPattern[];
  /** lowercase org names whose git remotes count (explicit GitHub orgs first) */
  gitOrgs: Array<{ org: string; explicit: boolean }>;
  /** "@acme-rockets/" style npm scopes and "com.acmerockets." style reversed domains */
  packageScopes: string[];
  /** explicit internal host names registered as known names */
  knownHosts: string[];
  awsAccounts: Set<string>;
  /** registrable labels of the registered domains ("acme-rockets"), to spot look-alike domains */
  domainLabels: string[];
  weights: EvidenceWeights;
}

export function buildMatchContext(identity: Identity, plan: Pick<SearchPlan, "terms" | "weakTerms">, weights: Partial<EvidenceWeights> = {}): MatchContext {
  const gitOrgs = new Map<string, boolean>();
  for (const k of identity.knownNames) if (k.category === "github_org") gitOrgs.set(k.name.toLowerCase(), true);
  for (const t of plan.terms) {
    if (t.origin === "brand" || t.origin === "other" || t.origin === "domain") for (const f of t.forms) if (!gitOrgs.has(f)) gitOrgs.set(f, false);
  }
  const scopes = new Set<string>();
  for (const t of plan.terms) {
    if (t.origin === "brand_word") continue;
    for (const f of t.forms) scopes.add(`@${f}/`);
  }
  for (const s of identity.packageScopes ?? []) scopes.add(`${s.startsWith("@") ? s : `@${s}`}/`);
  for (const d of identity.domains) {
    const rev = d.split(".").reverse().join(".");
    if (!rev.includes("-")) scopes.add(`${rev}.`);
    else scopes.add(`${rev.replace(/-/g, "")}.`);
  }
  return {
    identity,
    terms: plan.terms,
    weakTerms: plan.weakTerms,
    patterns: compilePatterns(identity.emailPatterns),
    gitOrgs: [...gitOrgs.entries()].map(([org, explicit]) => ({ org, explicit })),
    packageScopes: [...scopes],
    knownHosts: identity.knownNames.filter((k) => k.category === "host").map((k) => k.name.toLowerCase()),
    awsAccounts: new Set(identity.cloudAccountIds.filter((c) => c.provider === "aws").map((c) => c.id)),
    domainLabels: [...new Set(identity.domains.map((d) => domainLabel(d)).filter((l) => l.length >= 5))],
    weights: { ...DEFAULT_WEIGHTS, ...weights },
  };
}

/** Patterns that fail to compile are skipped (the app validates them on entry; a pattern the
 * app accepted but this matcher refuses must not abort a whole discovery run). */
function compilePatterns(patterns: string[]): CompiledEmailPattern[] {
  const out: CompiledEmailPattern[] = [];
  for (const p of patterns) {
    try {
      out.push(compileEmailPattern(p));
    } catch {
      // skipped; parseIdentity reports it to CLI users
    }
  }
  return out;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function ev(type: EvidenceType, weight: number, value: string, source: string, detail: string): Evidence {
  return { type, weight: round(weight), value, source, detail };
}

/** A domain that reuses one of our domain labels under another suffix: globexlogistics.com vs .net. */
function lookalikeDomain(ctx: MatchContext, host: string): string | null {
  const h = host.toLowerCase().replace(/\.$/, "");
  if (onDomain(h, ctx.identity.domains)) return null;
  const parts = h.split(".");
  if (parts.length < 2) return null;
  const label = domainLabel(h);
  if (!ctx.domainLabels.includes(label)) return null;
  const i = parts.lastIndexOf(label);
  return parts.slice(i).join(".");
}

function onDomain(host: string, domains: string[]): string | null {
  const h = host.toLowerCase().replace(/\.$/, "");
  for (const d of domains) if (h === d || h.endsWith(`.${d}`)) return d;
  return null;
}

/** Corporate suffixes dropped before comparing company names. */
const CORP_WORDS = new Set(["inc", "incorporated", "corp", "corporation", "ltd", "limited", "llc", "gmbh", "co", "company", "sa", "ag", "plc", "bv", "the", "group", "com", "io"]);

function containsSequence(hay: string[], needle: string[]): boolean {
  if (needle.length === 0 || needle.length > hay.length) return false;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Does free text (company, full name) name one of our strong terms? Returns the term. */
export function textNamesUs(ctx: MatchContext, text: string, minStrength = 0.85): NameTerm | null {
  const w = words(text);
  const core = w.filter((x) => !CORP_WORDS.has(x));
  const joined = core.join("");
  for (const t of ctx.terms) {
    if (t.strength < minStrength || t.origin === "brand_word") continue;
    const tw = words(t.forms.find((f) => /[-_]/.test(f)) ?? t.compact);
    if (joined === t.compact || containsSequence(w, tw) || (tw.length === 1 && w.includes(t.compact)) || w.some((x) => x === t.compact)) {
      return t;
    }
  }
  return null;
}

function matchesExclusion(ctx: MatchContext, text: string): string | null {
  const c = compact(text);
  if (!c) return null;
  for (const ex of ctx.identity.exclusions) {
    const e = compact(ex);
    if (!e) continue;
    if (c === e || (e.length >= 5 && c.includes(e))) return ex;
  }
  return null;
}

/** Sites where anyone has a page: a profile link there says nothing about the owner. */
const SHARED_HOSTS = ["github.com", "gitlab.com", "bitbucket.org", "linkedin.com", "twitter.com", "x.com", "medium.com", "dev.to", "about.me", "keybase.io", "hub.docker.com", "docker.com", "github.io", "mastodon.social", "bsky.app", "youtube.com", "facebook.com", "instagram.com", "stackoverflow.com"];

/** Labels in which an image declares where it comes from. */
const SOURCE_LABELS = new Set(["org.opencontainers.image.source", "org.opencontainers.image.url", "org.label-schema.vcs-url", "org.label-schema.url", "vcs-url"]);

const DISCLAIMER_RE = /\b(?:not|never been|isn't|is not)\s+(?:officially\s+)?(?:affiliated|associated|endorsed)\b|\bno affiliation\b|\bunofficial\b/i;

// ─── Profile ───────────────────────────────────────────────────────────────────

export function profileEvidence(ctx: MatchContext, p: HubAccountProfile): Evidence[] {
  const w = ctx.weights;
  const out: Evidence[] = [];
  const domains = ctx.identity.domains;
  if (p.company?.trim()) {
    const company = p.company.trim();
    const ex = matchesExclusion(ctx, company);
    const t = textNamesUs(ctx, company);
    if (ex) {
      out.push(ev("exclusion", w.exclusion, company, "profile.company", `Profile company "${company}" matches the exclusion "${ex}" (an unrelated company).`));
    } else if (t) {
      out.push(ev("profile_company", w.profile_company * Math.min(1, t.strength + 0.2), company, "profile.company", `Profile company "${company}" names ${t.label}.`));
    } else if (!/^(n\/?a|none|-|self|freelance|independent|personal)$/i.test(company)) {
      out.push(ev("other_company", w.other_company, company, "profile.company", `Profile names another company ("${company}").`));
    }
  }
  if (p.profileUrl?.trim()) {
    const raw = p.profileUrl.trim();
    const host = hostOfUrl(raw);
    const d = host ? onDomain(host, domains) : null;
    if (d) {
      out.push(ev("profile_url", w.profile_url, raw, "profile.profile_url", `Profile website ${raw} is on the registered domain ${d}.`));
    } else {
      const remote = gitRemoteIn(ctx, raw);
      if (remote) out.push(ev("git_remote", w.git_remote * (remote.explicit ? 1 : 0.8), raw, "profile.profile_url", `Profile website ${raw} is under the GitHub organisation ${remote.org}.`));
      else if (host && lookalikeDomain(ctx, host)) {
        const lk = lookalikeDomain(ctx, host)!;
        out.push(ev("lookalike_domain", w.lookalike_domain, lk, "profile.profile_url", `Profile website is on ${lk}, a look-alike of a registered domain that the organisation does not own.`));
      } else if (host && !SHARED_HOSTS.some((h) => host === h || host.endsWith(`.${h}`))) {
        out.push(ev("other_website", w.other_website, raw, "profile.profile_url", `Profile website ${raw} is on a domain the organisation has not registered.`));
      }
    }
  }
  if (p.gravatarEmail?.trim()) {
    const email = p.gravatarEmail.trim().toLowerCase();
    const pat = ctx.patterns.find((x) => x.matches(email));
    const d = onDomain(email.split("@")[1] ?? "", domains);
    if (pat || d) {
      out.push(ev("profile_email", w.profile_email, email, "profile.gravatar_email", pat ? `Profile email ${email} matches the email pattern ${pat.pattern}.` : `Profile email ${email} is on the registered domain ${d}.`));
    } else {
      const lk = lookalikeDomain(ctx, email.split("@")[1] ?? "");
      if (lk) out.push(ev("lookalike_domain", w.lookalike_domain, lk, "profile.gravatar_email", `Profile email ${email} is on ${lk}, a look-alike of a registered domain that the organisation does not own.`));
    }
  }
  if (p.fullName?.trim()) {
    const name = p.fullName.trim();
    const ex = matchesExclusion(ctx, name);
    const t = textNamesUs(ctx, name);
    if (ex) out.push(ev("exclusion", w.exclusion, name, "profile.full_name", `Profile name "${name}" matches the exclusion "${ex}".`));
    else if (t) out.push(ev("profile_full_name", w.profile_full_name, name, "profile.full_name", `Profile name "${name}" contains ${t.label}.`));
  }
  if (p.badge === "verified_publisher") {
    out.push(ev("verified_publisher", w.verified_publisher, p.badge, "profile.badge", "Verified publisher: a company account Docker has verified, not shadow IT."));
  }
  if (p.namespace === "library") {
    out.push(ev("official_image", w.official_image, "library", "namespace", "Docker Official Images namespace."));
  }
  return out;
}

// ─── Name ──────────────────────────────────────────────────────────────────────

export function nameEvidence(ctx: MatchContext, namespace: string): Evidence[] {
  const w = ctx.weights;
  const ns = namespace.toLowerCase();
  const c = compact(ns);
  const ex = ctx.identity.exclusions.find((e) => compact(e) === c || e === ns);
  if (ex) return [ev("exclusion", w.exclusion, namespace, "namespace", `Namespace ${namespace} is on the exclusion list ("${ex}").`)];
  const out: Evidence[] = [];
  let best: { term: NameTerm; exact: boolean } | null = null;
  for (const t of ctx.terms) {
    const exact = c === t.compact || t.forms.includes(ns);
    const variant = !exact && c.startsWith(t.compact) && c.length - t.compact.length <= 8;
    const contains = c.includes(t.compact);
    if (!contains) continue;
    const cand = { term: t, exact: exact || variant };
    if (!best || (cand.exact && !best.exact) || (cand.exact === best.exact && t.strength > best.term.strength)) best = cand;
  }
  if (best) {
    const s = best.term.strength;
    if (best.exact) {
      out.push(ev("name_exact", w.name_exact * s, namespace, "namespace", `Namespace ${namespace} is ${c === best.term.compact ? "" : "a variant of "}${best.term.label} (a name alone can ask for a review, never more).`));
    } else {
      out.push(ev("name_contains", w.name_contains * s, namespace, "namespace", `Namespace ${namespace} contains ${best.term.label} (weak on its own).`));
    }
  }
  return out;
}

// ─── Content (labels, env, README, files, history) ─────────────────────────────

export type ContentKind = "label" | "env" | "readme" | "history" | "file" | "author" | "description";

const LOCAL_CH = /[A-Za-z0-9._%+-]/;
const DOMAIN_CH = /[A-Za-z0-9.-]/;
const MAX_TEXT = 256 * 1024;

/** Email addresses in text, found by expanding around each "@" (linear, no regex backtracking). */
export function extractEmails(text: string): Array<{ email: string; at: number }> {
  const out: Array<{ email: string; at: number }> = [];
  let at = text.indexOf("@");
  while (at !== -1 && out.length < 500) {
    let s = at;
    while (s > 0 && at - s < 64 && LOCAL_CH.test(text[s - 1]!)) s--;
    let e = at + 1;
    while (e < text.length && e - at < 254 && DOMAIN_CH.test(text[e]!)) e++;
    let domain = text.slice(at + 1, e).replace(/\.+$/, "");
    const local = text.slice(s, at).replace(/^\.+/, "");
    const before = s > 0 ? text[s - 1]! : "";
    // "user:pass@host" and "scheme://user@host" are URL credentials, not addresses: skip (the
    // host part is still matched as a host name, the credentials are never read).
    const inUrl = before === ":" || before === "/";
    if (local && !inUrl && /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,24}$/i.test(domain)) {
      domain = domain.toLowerCase();
      out.push({ email: `${local.toLowerCase()}@${domain}`, at });
    }
    at = text.indexOf("@", at + 1);
  }
  return out;
}

const HOST_CH = /[a-z0-9.-]/;
const MAX_HOST = 253;

/** Host names under the given domains (or equal to known hosts) in lowercased text. */
export function extractHosts(lower: string, suffixes: string[]): Array<{ host: string; start: number }> {
  const out = new Map<string, number>();
  for (const d of suffixes) {
    let i = lower.indexOf(d);
    while (i !== -1 && out.size < 200) {
      // expansion is capped at a host name's maximum length, so a hostile run of glued-together
      // domains costs O(n·253), not O(n²)
      let s = i;
      while (s > 0 && i - s < MAX_HOST && HOST_CH.test(lower[s - 1]!)) s--;
      let e = i + d.length;
      while (e < lower.length && e - i < MAX_HOST && HOST_CH.test(lower[e]!)) e++;
      const host = lower.slice(s, e).replace(/^[.-]+|[.-]+$/g, "");
      if (host.length <= MAX_HOST && (host === d || host.endsWith(`.${d}`)) && !out.has(host)) out.set(host, s);
      i = lower.indexOf(d, i + d.length);
    }
  }
  return [...out.entries()].map(([host, start]) => ({ host, start }));
}

/** Host-name tokens around each occurrence of `needle` (bounded). */
function hostsContaining(lower: string, needle: string): string[] {
  const out = new Set<string>();
  let i = lower.indexOf(needle);
  while (i !== -1 && out.size < 50) {
    let s = i;
    while (s > 0 && i - s < MAX_HOST && HOST_CH.test(lower[s - 1]!)) s--;
    let e = i + needle.length;
    while (e < lower.length && e - i < MAX_HOST && HOST_CH.test(lower[e]!)) e++;
    const host = lower.slice(s, e).replace(/^[.-]+|[.-]+$/g, "");
    if (host.length <= MAX_HOST && /\.[a-z]{2,24}$/.test(host)) out.add(host);
    i = lower.indexOf(needle, i + needle.length);
  }
  return [...out];
}

function hostOfUrl(raw: string): string | null {
  try {
    const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
    return u.hostname.toLowerCase() || null;
  } catch {
    return null;
  }
}

function gitRemoteIn(ctx: MatchContext, text: string): { org: string; explicit: boolean; match: string } | null {
  const lower = text.toLowerCase();
  let best: { org: string; explicit: boolean; match: string } | null = null;
  for (const forge of ["github.com", "gitlab.com", "bitbucket.org"]) {
    let i = lower.indexOf(forge);
    while (i !== -1) {
      const sep = lower[i + forge.length];
      if (sep === "/" || sep === ":") {
        const rest = lower.slice(i + forge.length + 1, i + forge.length + 1 + 100);
        const m = /^([a-z0-9][a-z0-9_.-]*)/.exec(rest);
        if (m) {
          const org = m[1]!;
          const hit = ctx.gitOrgs.find((g) => g.org === org);
          if (hit && (!best || (hit.explicit && !best.explicit))) {
            const tail = /^[a-z0-9][a-z0-9_.-]*(?:\/[a-z0-9_.-]+)?/.exec(rest)?.[0] ?? org;
            best = { org: hit.org, explicit: hit.explicit, match: `${forge}/${tail}` };
          }
        }
      }
      i = lower.indexOf(forge, i + forge.length);
    }
  }
  return best;
}

/** AWS access key ids (AKIA/ASIA…) in text → decoded account ids. Key ids are never returned. */
export function awsAccountIdsIn(text: string): string[] {
  const out = new Set<string>();
  const re = /\b(?:AKIA|ASIA|AROA|AIDA)[A-Z2-7]{16}\b/g;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = re.exec(text)) !== null && n++ < 200) {
    const id = decodeAwsAccountId(m[0]);
    if (id) out.add(id);
  }
  return [...out];
}

/** The account id encoded in an AWS access key id (documented in public research on key ids). */
export function decodeAwsAccountId(keyId: string): string | null {
  if (!/^[A-Z]{4}[A-Z2-7]{16}$/.test(keyId)) return null;
  // Legacy key ids (fifth character I or J) carry no account, but current ids for accounts
  // 549755813888–687194767359 start the same way. Discovery only compares the result with
  // registered account ids, so decoding both is safe (a legacy id matching one is ~1e-12).
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0n;
  for (const ch of keyId.slice(4)) bits = (bits << 5n) | BigInt(alphabet.indexOf(ch));
  // 16 chars × 5 bits = 80 bits = 10 bytes; the first 6 bytes carry the account id.
  const first6 = bits >> 32n;
  const account = (first6 & 0x7fffffffff80n) >> 7n;
  return account.toString().padStart(12, "0");
}

export interface ContentSource {
  kind: ContentKind;
  /** human "where": "image acme/api:latest label maintainer" */
  source: string;
}

/** Evidence from one piece of content (bounded). */
export function contentEvidence(ctx: MatchContext, rawText: string, where: ContentSource): Evidence[] {
  const w = ctx.weights;
  const text = rawText.length > MAX_TEXT ? rawText.slice(0, MAX_TEXT) : rawText;
  const lower = text.toLowerCase();
  const f = where.kind === "readme" || where.kind === "description" ? w.readme_factor : 1;
  const out: Evidence[] = [];
  const domains = ctx.identity.domains;

  const emailAts = new Set<number>();
  if (text.includes("@")) {
    for (const { email, at } of extractEmails(text)) {
      const pat = ctx.patterns.find((p) => p.matches(email));
      const d = onDomain(email.split("@")[1]!, domains);
      if (pat) {
        emailAts.add(at);
        out.push(ev("content_email", w.content_email * f, email, where.source, `Email ${email} in ${where.source} matches the email pattern ${pat.pattern}.`));
      } else if (d) {
        emailAts.add(at);
        out.push(ev("content_email_domain", w.content_email_domain * f, email, where.source, `Email ${email} in ${where.source} is on the registered domain ${d}.`));
      } else {
        const lk = lookalikeDomain(ctx, email.split("@")[1]!);
        if (lk) out.push(ev("lookalike_domain", w.lookalike_domain, lk, where.source, `Email ${email} in ${where.source} is on ${lk}, a look-alike of a registered domain.`));
      }
    }
  }
  for (const { host, start } of extractHosts(lower, [...domains, ...ctx.knownHosts])) {
    if (start > 0 && emailAts.has(start - 1)) continue; // already counted as an email
    const known = ctx.knownHosts.includes(host);
    const apex = domains.includes(host);
    const weight = (apex ? w.content_apex_domain : w.content_host) * f;
    const detail = known
      ? `Host ${host} (a registered internal host name) appears in ${where.source}.`
      : apex
        ? `The registered domain ${host} is mentioned in ${where.source}.`
        : `Host ${host}, under the registered domain ${onDomain(host, domains)}, appears in ${where.source}.`;
    out.push(ev("content_host", weight, host, where.source, detail));
  }
  for (const label of ctx.domainLabels) {
    if (!lower.includes(`${label}.`)) continue;
    for (const host of hostsContaining(lower, `${label}.`)) {
      const lk = lookalikeDomain(ctx, host);
      if (lk && !out.some((e) => e.type === "lookalike_domain" && e.value === lk)) {
        out.push(ev("lookalike_domain", w.lookalike_domain, lk, where.source, `Host ${host} in ${where.source} is on ${lk}, a look-alike of a registered domain.`));
      }
    }
  }
  const remote = gitRemoteIn(ctx, text);
  if (remote) {
    out.push(ev("git_remote", w.git_remote * (remote.explicit ? 1 : 0.8) * (f === 1 ? 1 : 0.9), remote.match, where.source, `Git remote ${remote.match} in ${where.source} is under the ${remote.explicit ? "registered GitHub organisation" : "company-named organisation"} ${remote.org}.`));
  }
  for (const scope of ctx.packageScopes) {
    const i = lower.indexOf(scope);
    if (i === -1) continue;
    // "@acme/" must start a token: not part of an email or a longer scope
    const prev = i > 0 ? lower[i - 1]! : " ";
    if (scope.startsWith("@") && /[a-z0-9._-]/.test(prev)) continue;
    if (!scope.startsWith("@") && /[a-z0-9]/.test(prev)) continue;
    const shown = scope.startsWith("@") ? scope : scope.slice(0, -1);
    out.push(ev("package_scope", w.package_scope * f, shown, where.source, `Package scope ${shown} (company-named) is used in ${where.source}.`));
  }
  if ((where.kind === "readme" || where.kind === "description") && DISCLAIMER_RE.test(text)) {
    const m = DISCLAIMER_RE.exec(text)!;
    out.push(ev("disclaimer", w.disclaimer, m[0], where.source, `${where.source} disclaims a connection ("${m[0]}").`));
  }
  if (ctx.awsAccounts.size > 0 && /A[KSRI][IS]A/.test(text)) {
    for (const id of awsAccountIdsIn(text)) {
      if (ctx.awsAccounts.has(id)) {
        out.push(ev("aws_account", w.aws_account, id, where.source, `An AWS access key id in ${where.source} belongs to the registered AWS account ${id}.`));
      }
    }
  }
  return out;
}

/** Scanner hints (lib/scan DetectorMatch.hints) → evidence. Only matching values are kept. */
export function hintEvidence(ctx: MatchContext, hints: Array<{ type: string; value: string }>, source: string): Evidence[] {
  const w = ctx.weights;
  const out: Evidence[] = [];
  for (const h of hints) {
    if (h.type === "aws_account_id") {
      const id = h.value.replace(/\D/g, "").padStart(12, "0");
      if (ctx.awsAccounts.has(id)) out.push(ev("aws_account", w.aws_account, id, source, `A leaked AWS key in ${source} belongs to the registered AWS account ${id}.`));
    } else if (h.type === "email" || h.type === "host" || h.type === "url" || h.type === "git_remote" || h.type === "package_scope") {
      out.push(...contentEvidence(ctx, h.value, { kind: "file", source }));
    }
  }
  return out;
}

/** Evidence from an image config: labels, env, author, history. */
/** "https://github.com/pixelpete/game" → "github.com/pixelpete"; null when no owner is named. */
function foreignOwner(url: string): string | null {
  const m = /^(?:https?:\/\/|git@)?(github\.com|gitlab\.com|bitbucket\.org)[/:]([A-Za-z0-9][A-Za-z0-9_.-]*)/i.exec(url.trim());
  if (m) return `${m[1]!.toLowerCase()}/${m[2]!.toLowerCase()}`;
  const host = hostOfUrl(url.trim());
  return host && host.includes(".") ? host : null;
}

export function configEvidence(ctx: MatchContext, config: ImageConfig, imageRef: string): Evidence[] {
  const w = ctx.weights;
  const out: Evidence[] = [];
  const labels = config.config?.Labels ?? {};
  for (const [k, v] of Object.entries(labels)) {
    if (typeof v !== "string") continue;
    const found = contentEvidence(ctx, v, { kind: "label", source: `image ${imageRef} label ${k}` });
    out.push(...found);
    if (SOURCE_LABELS.has(k) && found.length === 0) {
      const owner = foreignOwner(v);
      if (owner) {
        out.push(ev("other_owner", w.other_owner, owner, `image ${imageRef} label ${k}`, `Image ${imageRef} declares its source as ${owner}, not under the organisation.`));
      }
    }
  }
  for (const e of config.config?.Env ?? []) {
    if (typeof e !== "string") continue;
    const eq = e.indexOf("=");
    const name = eq > 0 ? e.slice(0, eq) : e;
    out.push(...contentEvidence(ctx, eq > 0 ? e.slice(eq + 1) : "", { kind: "env", source: `image ${imageRef} env ${name}` }));
  }
  if (config.author) out.push(...contentEvidence(ctx, config.author, { kind: "author", source: `image ${imageRef} author` }));
  (config.history ?? []).forEach((h, i) => {
    if (h.created_by) out.push(...contentEvidence(ctx, h.created_by, { kind: "history", source: `image ${imageRef} build step ${i + 1}` }));
    if (h.author) out.push(...contentEvidence(ctx, h.author, { kind: "author", source: `image ${imageRef} build step ${i + 1} author` }));
  });
  return out;
}

export function dedupeEvidence(items: Evidence[]): Evidence[] {
  const seen = new Map<string, Evidence>();
  for (const e of items) {
    // the same value of the same type counts once; keep the strongest place it was seen
    const key = `${e.type}\u0000${e.value.toLowerCase()}`;
    const prev = seen.get(key);
    if (!prev || prev.weight < e.weight) seen.set(key, e);
  }
  return [...seen.values()];
}

export { domainLabel };
