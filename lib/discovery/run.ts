// One discovery run: plan → searches → profile look-ups → light content scan → scores.
// Talks to Docker Hub only through the HubApi / RegistryReader contracts and stays inside the
// budget. A failing call is recorded and skipped; the run still returns what it found.
import type { HubAccountProfile, HubApi, HubRepositorySummary, HubTag, PlatformImage, RegistryReader } from "../hub/types";
import {
  buildMatchContext,
  configEvidence,
  contentEvidence,
  dedupeEvidence,
  nameEvidence,
  profileEvidence,
  type ContentKind,
  type EvidenceWeights,
  type MatchContext,
} from "./evidence";
import { NEGATIVE_TYPES, scoreEvidence } from "./scoring";
import { buildSearchPlan, type PlannedLookup, type PlannedSearch } from "./terms";
import {
  DEFAULT_THRESHOLDS,
  type Budget,
  type Candidate,
  type CandidateProfile,
  type CandidateRepo,
  type DomainAuditRow,
  type Evidence,
  type Identity,
  type PlanWarning,
  type PriorDismissal,
  type Thresholds,
} from "./types";

/**
 * Optional bounded file scan of one resolved image (see light-scan.ts for the lib/scan adapter).
 * It calls `visit` with each small text file; discovery matches the text and keeps only evidence.
 */
export type LightScanFn = (input: {
  repository: string;
  tag: string;
  image: PlatformImage;
  signal?: AbortSignal;
  visit: (text: string, where: { kind: ContentKind; source: string }) => void;
}) => Promise<void>;

export interface RunDiscoveryOptions {
  identity: Identity;
  hub: HubApi;
  registry?: RegistryReader;
  scan?: LightScanFn;
  budget?: Partial<Budget>;
  thresholds?: Partial<Thresholds>;
  weights?: Partial<EvidenceWeights>;
  priorDismissed?: Array<PriorDismissal | string>;
  domainAudit?: DomainAuditRow[];
  /**
   * Namespaces the organisation supplies directly (employee Docker IDs from SSO/HR, GitHub org
   * members' handles, accounts seen before): always looked up, ahead of search hits.
   */
  seedNamespaces?: string[];
  signal?: AbortSignal;
  /** parallel Hub calls (the client has its own cap too) */
  concurrency?: number;
  onProgress?: (event: { phase: "search" | "profiles" | "content" | "done"; done: number; total: number }) => void;
}

export interface DiscoveryError {
  step: "search" | "profile" | "listing" | "repository" | "tags" | "image" | "scan";
  target: string;
  message: string;
}

export interface DiscoveryStats {
  searches: number;
  profiles: number;
  listings: number;
  repositories: number;
  imageConfigs: number;
  lightScans: number;
  namespacesSeen: number;
}

export interface DiscoveryResult {
  candidates: Candidate[];
  warnings: PlanWarning[];
  plan: { searches: PlannedSearch[]; lookups: PlannedLookup[] };
  stats: DiscoveryStats;
  errors: DiscoveryError[];
}

interface Work {
  namespace: string;
  foundBy: Set<string>;
  priority: number;
  evidence: Evidence[];
  profile: HubAccountProfile | null;
  exists: boolean;
  official: boolean;
  repos: HubRepositorySummary[];
  scannedTags: Map<string, string>;
}

const errMsg = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 300);

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      if (signal?.aborted) return;
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
}

function toProfile(p: HubAccountProfile | null): CandidateProfile | null {
  if (!p) return null;
  return {
    type: p.type,
    fullName: p.fullName,
    company: p.company,
    location: p.location,
    profileUrl: p.profileUrl,
    gravatarEmail: p.gravatarEmail,
    dateJoined: p.dateJoined,
    badge: p.badge,
  };
}

/**
 * The tags worth a look: "latest" (what people pull) and the most recently pushed, skipping tags
 * that share a digest with one already picked. Each pick costs a registry pull.
 */
export function pickTags(tags: HubTag[], max: number): Array<{ name: string; platform: string | undefined }> {
  const when = (t: HubTag) => t.lastPushed ?? t.lastUpdated ?? "";
  const newestFirst = [...tags].sort((a, b) => when(b).localeCompare(when(a)) || a.name.localeCompare(b.name));
  const latest = tags.find((t) => t.name === "latest");
  const order = latest ? [latest, ...newestFirst.filter((t) => t !== latest)] : newestFirst;
  const out: Array<{ name: string; platform: string | undefined }> = [];
  const digests = new Set<string>();
  for (const t of order) {
    if (out.length >= max) break;
    if (t.digest && digests.has(t.digest)) continue;
    if (t.digest) digests.add(t.digest);
    const img = t.images.find((i) => i.os && i.architecture && i.os !== "unknown");
    out.push({ name: t.name, platform: img ? `${img.os}/${img.architecture}${img.variant ? `/${img.variant}` : ""}` : undefined });
  }
  return out;
}

const STATUS_RANK: Record<Candidate["status"], number> = { sanctioned: 0, likely: 1, review: 2, candidate: 3 };

export async function runDiscovery(opts: RunDiscoveryOptions): Promise<DiscoveryResult> {
  const { identity, hub, registry, scan, signal } = opts;
  const plan = buildSearchPlan(identity, opts.budget);
  const budget = plan.budget;
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS, ...opts.thresholds };
  const ctx: MatchContext = buildMatchContext(identity, plan, opts.weights);
  const concurrency = opts.concurrency ?? 4;
  const errors: DiscoveryError[] = [];
  const warnings = [...plan.warnings];
  const stats: DiscoveryStats = { searches: 0, profiles: 0, listings: 0, repositories: 0, imageConfigs: 0, lightScans: 0, namespacesSeen: 0 };
  const work = new Map<string, Work>();
  const get = (ns: string): Work => {
    const k = ns.toLowerCase();
    let w = work.get(k);
    if (!w) {
      w = { namespace: k, foundBy: new Set(), priority: 0, evidence: [], profile: null, exists: false, official: false, repos: [], scannedTags: new Map() };
      work.set(k, w);
    }
    return w;
  };

  // ── 1. searches ──
  let searchesDone = 0;
  await pool(
    plan.searches,
    concurrency,
    async (s) => {
      try {
        stats.searches++;
        const results = await hub.search(s.query, { limit: budget.resultsPerSearch, ...(signal ? { signal } : {}) });
        for (const r of results) {
          const ns = (r.namespace || r.repoName.split("/")[0] || "").toLowerCase();
          if (!ns) continue;
          const w = get(ns);
          w.exists = true;
          w.foundBy.add(`search "${s.query}"`);
          if (r.isOfficial || ns === "library" || r.badge === "official") w.official = true;
          if (r.badge === "verified_publisher") {
            w.evidence.push({ type: "verified_publisher", weight: ctx.weights.verified_publisher, value: ns, source: `search result ${r.repoName}`, detail: `${r.repoName} carries Docker's verified-publisher badge: a company account, not shadow IT.` });
          }
          if (r.description) {
            w.evidence.push(...contentEvidence(ctx, r.description, { kind: "description", source: `description of ${r.repoName}` }));
          }
        }
      } catch (e) {
        errors.push({ step: "search", target: s.query, message: errMsg(e) });
      }
      opts.onProgress?.({ phase: "search", done: ++searchesDone, total: plan.searches.length });
    },
    signal,
  );

  // ── 2. who gets a profile look-up ──
  for (const row of opts.domainAudit ?? []) {
    const w = get(row.username);
    w.foundBy.add("domain audit");
    w.priority = Math.max(w.priority, 100);
    w.evidence.push({
      type: "domain_audit",
      weight: ctx.weights.domain_audit,
      value: row.email,
      source: "Docker domain audit",
      detail: `Docker's domain audit lists ${row.username} as signed up with ${row.email}${row.dateJoined ? ` (joined ${row.dateJoined.slice(0, 10)})` : ""}.`,
    });
  }
  for (const w of work.values()) {
    if (w.priority >= 100) continue;
    const name = nameEvidence(ctx, w.namespace);
    const nameW = name.find((e) => e.type === "name_exact" || e.type === "name_contains")?.weight ?? 0;
    const content = Math.max(0, ...w.evidence.filter((e) => e.type !== "verified_publisher").map((e) => e.weight));
    w.priority = 1 + nameW * 2 + content;
  }
  for (const raw of opts.seedNamespaces ?? []) {
    const ns = raw.trim().toLowerCase();
    if (!/^[a-z0-9][a-z0-9_.-]{1,254}$/.test(ns)) continue;
    const w = get(ns);
    w.foundBy.add("supplied namespace");
    w.priority = Math.max(w.priority, 50);
  }
  for (const l of plan.lookups) {
    const w = get(l.namespace);
    if (!w.exists && w.priority < 100) w.foundBy.add(`direct lookup (${l.reason})`);
    w.priority = Math.max(w.priority, l.value * 1.5);
  }
  const sanctioned = new Set(identity.sanctioned);
  for (const ns of sanctioned) {
    const w = get(ns);
    w.foundBy.add("registered as sanctioned");
    w.evidence.push({ type: "sanctioned", weight: 1, value: ns, source: "identity.sanctioned", detail: `${ns} is registered as a sanctioned namespace: inventory, monitored and scanned.` });
  }
  const dismissed = new Map<string, string | null>();
  for (const d of opts.priorDismissed ?? []) {
    const p = typeof d === "string" ? { namespace: d } : d;
    dismissed.set(p.namespace.toLowerCase(), p.reason ?? null);
  }

  const ordered = [...work.values()]
    .filter((w) => !w.official && !sanctioned.has(w.namespace))
    .sort((a, b) => b.priority - a.priority || a.namespace.localeCompare(b.namespace));
  const toProfileLookup = ordered.slice(0, budget.maxProfiles);
  const skippedFound = ordered.slice(budget.maxProfiles).filter((w) => w.exists || w.priority >= 50).length;
  if (skippedFound > 0) {
    // unprobed name variants are expected; accounts seen in search results are worth a warning
    warnings.push({
      code: "budget_truncated",
      value: "profiles",
      message: `profile look-ups are capped at ${budget.maxProfiles} per run; ${skippedFound} accounts seen in search results or supplied were not looked up (raise the budget or narrow the names)`,
    });
  }
  const lookupSet = new Set(toProfileLookup.map((w) => w.namespace));
  // namespaces neither looked up nor from search are dropped (unprobed guesses)
  for (const [k, w] of work) {
    if (!lookupSet.has(k) && !w.exists && !sanctioned.has(k) && !w.official && !w.foundBy.has("domain audit")) work.delete(k);
  }
  const sanctionedWork = [...sanctioned].map((s) => get(s));

  let profDone = 0;
  const profileTargets = [...sanctionedWork, ...toProfileLookup];
  await pool(
    profileTargets,
    concurrency,
    async (w) => {
      try {
        stats.profiles++;
        const p = await hub.getAccount(w.namespace, signal ? { signal } : {});
        if (p) {
          w.profile = p;
          w.exists = true;
        }
      } catch (e) {
        errors.push({ step: "profile", target: w.namespace, message: errMsg(e) });
      }
      opts.onProgress?.({ phase: "profiles", done: ++profDone, total: profileTargets.length });
    },
    signal,
  );
  for (const [k, w] of work) {
    // a direct probe that 404s is not an account; domain-audit names stay (the audit says they exist)
    if (!w.exists && !w.official && !sanctioned.has(k) && !w.foundBy.has("domain audit")) work.delete(k);
  }

  // ── 3. evidence from profile, name, prior decisions ──
  for (const w of work.values()) {
    if (w.official) {
      w.evidence.push({ type: "official_image", weight: ctx.weights.official_image, value: w.namespace, source: "search result", detail: "Docker Official Image: published by Docker, not by the organisation." });
      continue;
    }
    w.evidence.push(...nameEvidence(ctx, w.namespace));
    if (w.profile) w.evidence.push(...profileEvidence(ctx, w.profile));
    if (dismissed.has(w.namespace)) {
      const reason = dismissed.get(w.namespace);
      w.evidence.push({ type: "previously_dismissed", weight: ctx.weights.previously_dismissed, value: w.namespace, source: "analyst decision", detail: `An analyst dismissed this account before${reason ? ` ("${reason.slice(0, 120)}")` : ""}.` });
    }
  }

  // ── 4. light content scan: READMEs and newest-tag image configs of a few repos ──
  const pre = new Map([...work.values()].map((w) => [w.namespace, scoreEvidence(dedupeEvidence(w.evidence), thresholds).confidence]));
  const scanOrder = [...work.values()]
    .filter((w) => !w.official && !sanctioned.has(w.namespace) && !w.evidence.some((e) => e.type === "exclusion") && w.exists)
    // Where content decides comes first: open accounts, then accounts whose profile already
    // points elsewhere (another company, a disclaimer), then accounts already likely.
    .sort((a, b) => {
      const group = (w: Work) => (pre.get(w.namespace)! >= thresholds.likely ? 2 : w.evidence.some((e) => NEGATIVE_TYPES.has(e.type)) ? 1 : 0);
      return group(a) - group(b) || b.priority - a.priority || pre.get(b.namespace)! - pre.get(a.namespace)! || a.namespace.localeCompare(b.namespace);
    })
    .slice(0, budget.maxListings);
  await pool(
    sanctionedWork,
    concurrency,
    async (w) => {
      try {
        stats.listings++;
        w.repos = await hub.listRepositories(w.namespace, signal ? { signal } : {});
      } catch (e) {
        errors.push({ step: "listing", target: w.namespace, message: errMsg(e) });
      }
    },
    signal,
  );
  let contentDone = 0;
  let configsLeft = budget.maxImageConfigs;
  await pool(
    scanOrder,
    concurrency,
    async (w) => {
      await scanNamespace(w);
      opts.onProgress?.({ phase: "content", done: ++contentDone, total: scanOrder.length });
    },
    signal,
  );

  async function scanNamespace(w: Work): Promise<void> {
    const sig = signal ? { signal } : {};
    try {
      stats.listings++;
      w.repos = await hub.listRepositories(w.namespace, sig);
    } catch (e) {
      errors.push({ step: "listing", target: w.namespace, message: errMsg(e) });
      return;
    }
    const repos = [...w.repos]
      .filter((r) => !r.isPrivate)
      .sort((a, b) => (b.lastUpdated ?? "").localeCompare(a.lastUpdated ?? "") || b.pullCount - a.pullCount || a.name.localeCompare(b.name))
      .slice(0, budget.maxReposPerCandidate);
    for (const r of repos) {
      const full = `${w.namespace}/${r.name}`;
      if (r.description) w.evidence.push(...contentEvidence(ctx, r.description, { kind: "description", source: `description of ${full}` }));
      try {
        stats.repositories++;
        const d = await hub.getRepository(w.namespace, r.name, sig);
        if (d?.fullDescription) w.evidence.push(...contentEvidence(ctx, d.fullDescription, { kind: "readme", source: `README of ${full}` }));
      } catch (e) {
        errors.push({ step: "repository", target: full, message: errMsg(e) });
      }
      if (!registry) continue;
      if (configsLeft <= 0) continue;
      let picked: Array<{ name: string; platform: string | undefined }> = [];
      try {
        const tags = await hub.listTags(w.namespace, r.name, { ...sig, limit: 25 });
        picked = pickTags(tags, budget.maxTagsPerRepo);
      } catch (e) {
        errors.push({ step: "tags", target: full, message: errMsg(e) });
      }
      for (const tag of picked) {
        if (configsLeft <= 0) break;
        configsLeft--;
        const prev = w.scannedTags.get(r.name);
        w.scannedTags.set(r.name, prev ? `${prev},${tag.name}` : tag.name);
        const ref = `${full}:${tag.name}`;
        let first: PlatformImage | undefined;
        try {
          stats.imageConfigs++;
          const resolved = await registry.resolveImage(full, tag.name, { ...(tag.platform ? { platform: tag.platform } : {}), ...sig });
          first = resolved.platforms[0];
          if (first) {
            const cfg = await registry.getConfig(full, first.config, sig);
            w.evidence.push(...configEvidence(ctx, cfg, ref));
          }
        } catch (e) {
          errors.push({ step: "image", target: ref, message: errMsg(e) });
        }
        if (scan && first) {
          try {
            stats.lightScans++;
            await scan({
              repository: full,
              tag: tag.name,
              image: first,
              ...sig,
              visit: (text, where) => {
                w.evidence.push(...contentEvidence(ctx, text, where));
              },
            });
          } catch (e) {
            errors.push({ step: "scan", target: ref, message: errMsg(e) });
          }
        }
      }
    }
  }

  // ── 5. score ──
  const candidates: Candidate[] = [...work.values()].map((w) => {
    const s = scoreEvidence(dedupeEvidence(w.evidence), thresholds);
    const repos: CandidateRepo[] = w.repos.map((r) => ({
      name: r.name,
      pullCount: r.pullCount,
      lastUpdated: r.lastUpdated,
      scannedTag: w.scannedTags.get(r.name) ?? null,
    }));
    const lastPush = w.repos.map((r) => r.lastUpdated ?? "").sort().pop() || null;
    return {
      namespace: w.namespace,
      status: s.status,
      confidence: s.confidence,
      evidence: s.evidence,
      profile: toProfile(w.profile),
      foundBy: [...w.foundBy].sort(),
      repoCount: w.repos.length,
      pullCount: w.repos.reduce((n, r) => n + (r.pullCount || 0), 0),
      lastPushAt: lastPush,
      repos,
    };
  });
  candidates.sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || b.confidence - a.confidence || a.namespace.localeCompare(b.namespace));
  stats.namespacesSeen = work.size;
  opts.onProgress?.({ phase: "done", done: candidates.length, total: candidates.length });
  return { candidates, warnings, plan: { searches: plan.searches, lookups: plan.lookups.slice(0, budget.maxProfiles) }, stats, errors };
}
