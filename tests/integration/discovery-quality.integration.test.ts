// Discovery quality on the two simulator worlds, end to end: the real simulator over HTTP, the
// real lib/hub clients, the light file scan through lib/scan, and the world's own identity.
// Ground truth comes from each world's `expected` block. Two runs per world:
//  - "search": identity only, default budget (what `stowaway discover` does);
//  - "every account": the same run with every account of the world supplied as a namespace,
//    as if the whole (tiny) Hub had been crawled — measures attribution without search recall.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHubClients } from "@/lib/discovery/hub-clients";
import { parseIdentity } from "@/lib/discovery/identity-input";
import { createLightScanner } from "@/lib/discovery/light-scan";
import { runDiscovery, type DiscoveryResult } from "@/lib/discovery/run";
import { buildSearchPlan } from "@/lib/discovery/terms";
import type { Candidate, EvidenceType, Identity } from "@/lib/discovery/types";
import { startHubSim, type HubSim } from "@/lib/hubsim/server";
import { loadWorldFile, type World } from "@/lib/hubsim/world";

const WORLDS = [
  { name: "acme-rockets", file: "lib/hubsim/worlds/acme-rockets.json" },
  { name: "globex", file: "tests/fixtures/worlds/globex.json" },
];

/** world evidence labels → discovery evidence types */
const TYPE_MAP: Record<string, EvidenceType[]> = {
  "profile.company": ["profile_company"],
  "profile.profile_url": ["profile_url"],
  "profile.gravatar_email": ["profile_email"],
  "profile.full_name": ["profile_full_name"],
  "content.email": ["content_email", "content_email_domain"],
  "content.host": ["content_host"],
  "content.git_remote": ["git_remote"],
  "content.package_scope": ["package_scope"],
  "content.aws_account": ["aws_account"],
  name: ["name_exact", "name_contains"],
};

interface Metrics {
  world: string;
  mode: string;
  shadow: number;
  found: number;
  flagged: number;
  truePositives: number;
  precisionReview: number;
  recallReview: number;
  likely: number;
  precisionLikely: number;
  recallLikely: number;
  lookalikesAtOrAbove05: string[];
}

function identityOf(world: World): Identity {
  const w = world.identity!;
  return parseIdentity({
    domains: w.domains,
    emailPatterns: w.emailPatterns,
    knownNames: w.knownNames,
    sanctioned: w.sanctioned,
    exclusions: w.exclusions,
    cloudAccountIds: w.cloudAccountIds,
    githubOrgs: w.githubOrgs,
    packageScopes: w.packageScopes,
  });
}

function metrics(world: World, worldName: string, mode: string, r: DiscoveryResult): Metrics {
  const exp = world.expected!;
  const ours = new Set([...exp.shadowAccounts, ...exp.reviewAccounts]);
  const shadow = new Set(exp.shadowAccounts);
  const flagged = r.candidates.filter((c) => c.status === "likely" || c.status === "review");
  const likely = r.candidates.filter((c) => c.status === "likely");
  const tp = flagged.filter((c) => ours.has(c.namespace)).length;
  const ratio = (a: number, b: number) => (b === 0 ? 1 : Math.round((a / b) * 1000) / 1000);
  return {
    world: worldName,
    mode,
    shadow: shadow.size,
    found: r.candidates.filter((c) => shadow.has(c.namespace)).length,
    flagged: flagged.length,
    truePositives: tp,
    precisionReview: ratio(tp, flagged.length),
    recallReview: ratio(flagged.filter((c) => shadow.has(c.namespace)).length, shadow.size),
    likely: likely.length,
    precisionLikely: ratio(likely.filter((c) => ours.has(c.namespace)).length, likely.length),
    recallLikely: ratio(likely.filter((c) => shadow.has(c.namespace)).length, shadow.size),
    lookalikesAtOrAbove05: r.candidates.filter((c) => exp.lookalikes.includes(c.namespace) && c.confidence >= 0.5).map((c) => c.namespace),
  };
}

/** Every evidence item the world says ties a shadow account to the company is among ours. */
function missingEvidence(world: World, c: Candidate): string[] {
  const want = world.expected!.evidence[c.namespace] ?? [];
  return want
    .filter((w) => {
      const types = TYPE_MAP[w.type];
      if (!types) return true;
      return !c.evidence.some((e) => types.includes(e.type) && ((e.contribution ?? 0) > 0 || e.type.startsWith("name")) && (e.value.toLowerCase().includes(w.value.toLowerCase()) || w.value.toLowerCase().includes(e.value.toLowerCase())));
    })
    .map((w) => `${w.type}=${w.value}`);
}

/**
 * Shadow accounts a Hub search can reach with this plan, under the simulator's documented
 * search semantics (every query word is a substring of "namespace/repo description"), or that
 * the plan probes by name. The rest have no public link to the company's names at all.
 */
function reachable(world: World, identity: Identity): Set<string> {
  const plan = buildSearchPlan(identity);
  const out = new Set<string>();
  const probes = new Set(plan.lookups.slice(0, plan.budget.maxProfiles).map((l) => l.namespace));
  for (const ns of world.expected!.shadowAccounts) {
    if (probes.has(ns)) out.add(ns);
    for (const r of world.repositories.filter((x) => x.namespace === ns && !x.is_private)) {
      const hay = `${r.namespace}/${r.name} ${r.description}`.toLowerCase();
      if (plan.searches.some((s) => s.query.split(/\s+/).every((t) => hay.includes(t)))) out.add(ns);
    }
  }
  return out;
}

const table: Metrics[] = [];

afterAll(() => {
  const rows = table.map(
    (m) =>
      `| ${m.world} | ${m.mode} | ${m.shadow} | ${m.found} | ${m.flagged} | ${m.precisionReview.toFixed(2)} | ${m.recallReview.toFixed(2)} | ${m.likely} | ${m.precisionLikely.toFixed(2)} | ${m.recallLikely.toFixed(2)} |`,
  );
  console.log(
    [
      "discovery quality (review = confidence >= 0.5, likely >= 0.8):",
      "| world | run | shadow accounts | found | flagged (review+likely) | precision@review | recall@review | likely | precision@likely | recall@likely |",
      "|---|---|---|---|---|---|---|---|---|---|",
      ...rows,
    ].join("\n"),
  );
});

describe.each(WORLDS)("discovery on the $name world", ({ name, file }) => {
  let world: World;
  let sim: HubSim;
  let identity: Identity;

  beforeAll(async () => {
    world = await loadWorldFile(file);
    identity = identityOf(world);
    // the exhaustive run reads more images than one anonymous 6-hour pull window allows
    sim = await startHubSim({ world, pullLimit: 1000 });
  });
  afterAll(async () => {
    await sim?.close();
  });

  function clients() {
    const { hub, registry } = createHubClients({ hubApiUrl: sim.hubApiUrl, registryUrl: sim.registryUrl, searchUrl: sim.searchUrl });
    return { hub, registry, scan: createLightScanner(registry) };
  }

  it("search run: finds every reachable shadow account with the right evidence, no look-alike in the queue", async () => {
    const r = await runDiscovery({ identity, ...clients() });
    expect(r.errors).toEqual([]);
    const m = metrics(world, name, "search", r);
    table.push(m);
    const exp = world.expected!;
    const byNs = new Map(r.candidates.map((c) => [c.namespace, c]));
    for (const ns of exp.sanctioned) expect(byNs.get(ns)?.status, ns).toBe("sanctioned");
    const reach = reachable(world, identity);
    expect(reach.size).toBeGreaterThan(0);
    for (const ns of reach) {
      const c = byNs.get(ns);
      expect(c, `${ns} should be found`).toBeDefined();
      expect(c!.confidence, `${ns} confidence`).toBeGreaterThanOrEqual(0.5);
      expect(missingEvidence(world, c!), `${ns} evidence`).toEqual([]);
    }
    expect(m.lookalikesAtOrAbove05).toEqual([]);
    // whatever is queued is the company's
    expect(m.precisionReview).toBe(1);
  });

  it("every-account run: every shadow account >= 0.8 or in review with the right evidence; review accounts queued; look-alikes below 0.5", async () => {
    const r = await runDiscovery({
      identity,
      ...clients(),
      seedNamespaces: world.accounts.map((a) => a.namespace),
      budget: { maxProfiles: world.accounts.length + 60, maxListings: 500, maxImageConfigs: 1000 },
    });
    expect(r.errors).toEqual([]);
    const m = metrics(world, name, "every account", r);
    table.push(m);
    const exp = world.expected!;
    const byNs = new Map(r.candidates.map((c) => [c.namespace, c]));
    for (const ns of exp.shadowAccounts) {
      const c = byNs.get(ns);
      expect(c, ns).toBeDefined();
      expect(["likely", "review"], `${ns} is ${c!.status} at ${c!.confidence}`).toContain(c!.status);
      expect(missingEvidence(world, c!), `${ns} evidence`).toEqual([]);
    }
    for (const ns of exp.reviewAccounts) expect(byNs.get(ns)!.confidence, ns).toBeGreaterThanOrEqual(0.5);
    for (const ns of exp.lookalikes) expect(byNs.get(ns)?.confidence ?? 0, ns).toBeLessThan(0.5);
    for (const ns of exp.sanctioned) expect(byNs.get(ns)?.status).toBe("sanctioned");
    expect(m.recallReview).toBe(1);
    expect(m.precisionReview).toBe(1);
    // every evidence item explains itself
    for (const c of r.candidates) for (const e of c.evidence) expect(e.detail.length, `${c.namespace} ${e.type}`).toBeGreaterThan(15);
  });
});
