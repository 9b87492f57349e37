// runDiscovery's orchestration with an in-memory HubApi (pure logic: budgets, ordering, error
// handling, prior decisions). The end-to-end quality tests use the real simulator and client.
import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import type { HubAccountProfile, HubApi, HubRepositorySummary, HubSearchResult, HubTag } from "../hub/types";
import { parseIdentity } from "./identity-input";
import { pickTags, runDiscovery } from "./run";

const identity = parseIdentity({
  domains: ["acme-rockets.com"],
  emailPatterns: ["*@acme-rockets.com"],
  knownNames: ["Acme Rockets"],
  sanctioned: ["acmerockets"],
  exclusions: ["acme-rockets-fans"],
});

interface FakeAccount {
  profile?: Partial<HubAccountProfile>;
  repos?: Array<{ name: string; description?: string; readme?: string }>;
}

function fakeHub(accounts: Record<string, FakeAccount>, opts: { failSearch?: boolean; failProfile?: string } = {}) {
  const calls = { search: 0, getAccount: 0, listRepositories: 0, getRepository: 0, listTags: 0 };
  const hub: HubApi = {
    async search(q) {
      calls.search++;
      if (opts.failSearch) throw new AppError("UPSTREAM_FAILED", "Hub search answered 503");
      const out: HubSearchResult[] = [];
      for (const [ns, a] of Object.entries(accounts)) {
        for (const r of a.repos ?? []) {
          const hay = `${ns}/${r.name} ${r.description ?? ""}`;
          if (q.split(/\s+/).every((t) => hay.includes(t))) {
            out.push({ repoName: `${ns}/${r.name}`, namespace: ns, description: r.description ?? null, pullCount: 1, starCount: 0, isOfficial: false, badge: "none" });
          }
        }
      }
      return out;
    },
    async getAccount(ns) {
      calls.getAccount++;
      if (ns === opts.failProfile) throw new AppError("RATE_LIMITED", "Hub API rate limit");
      const a = accounts[ns];
      if (!a) return null;
      return { namespace: ns, type: "user", id: null, fullName: null, company: null, location: null, profileUrl: null, gravatarEmail: null, gravatarUrl: null, dateJoined: null, badge: null, ...a.profile };
    },
    async listRepositories(ns) {
      calls.listRepositories++;
      return (accounts[ns]?.repos ?? []).map(
        (r): HubRepositorySummary => ({ namespace: ns, name: r.name, description: r.description ?? null, isPrivate: false, pullCount: 10, starCount: 0, lastUpdated: "2025-01-01T00:00:00Z", dateRegistered: null, repositoryType: "image", mediaTypes: [] }),
      );
    },
    async getRepository(ns, repo) {
      calls.getRepository++;
      const r = accounts[ns]?.repos?.find((x) => x.name === repo);
      return r ? { namespace: ns, name: repo, description: r.description ?? null, isPrivate: false, pullCount: 10, starCount: 0, lastUpdated: null, dateRegistered: null, repositoryType: "image", mediaTypes: [], fullDescription: r.readme ?? null } : null;
    },
    async listTags() {
      calls.listTags++;
      return [];
    },
    rateLimit: () => ({ pullLimit: null, pullRemaining: null, pullWindowSeconds: null, apiLimit: null, apiRemaining: null, apiResetAt: null, updatedAt: 0 }),
  };
  return { hub, calls };
}

const world: Record<string, FakeAccount> = {
  acmerockets: { profile: { type: "organization", company: "Acme Rockets" }, repos: [{ name: "launch-api" }] },
  "acme-rockets-dev": { profile: { company: "Acme Rockets" }, repos: [{ name: "tools", readme: "Ask ops@acme-rockets.com" }] },
  "acme-rockets-fans": { repos: [{ name: "site", description: "acme-rockets fan site" }] },
  jdoe: { repos: [{ name: "thing", description: "an acmerockets helper" }] },
  "acme-rockets-corp": {},
};

describe("runDiscovery (orchestration)", () => {
  it("searches, probes name variants, scores and orders; sanctioned namespaces are inventory", async () => {
    const { hub } = fakeHub(world);
    const r = await runDiscovery({ identity, hub });
    const byNs = Object.fromEntries(r.candidates.map((c) => [c.namespace, c]));
    expect(byNs.acmerockets!.status).toBe("sanctioned");
    expect(byNs.acmerockets!.repoCount).toBe(1);
    expect(byNs["acme-rockets-dev"]!.status).toBe("likely");
    expect(byNs["acme-rockets-dev"]!.evidence.map((e) => e.type)).toEqual(expect.arrayContaining(["profile_company", "content_email", "name_exact"]));
    expect(byNs["acme-rockets-dev"]!.evidence.find((e) => e.type === "content_email")!.source).toBe("README of acme-rockets-dev/tools");
    // an account found only by a direct probe of a name variant
    expect(byNs["acme-rockets-corp"]!.foundBy[0]).toMatch(/direct lookup/);
    // exclusions stay visible but out of the queue
    expect(byNs["acme-rockets-fans"]!.status).toBe("candidate");
    expect(byNs["acme-rockets-fans"]!.confidence).toBeLessThan(0.1);
    // found through a description, no name link: kept, not queued
    expect(byNs.jdoe!.foundBy).toEqual(['search "acme"', 'search "acmerockets"']);
    expect(byNs.jdoe!.status).toBe("candidate");
    expect(r.candidates[0]!.namespace).toBe("acmerockets");
    expect(r.candidates.map((c) => c.status)).toEqual([...r.candidates.map((c) => c.status)].sort((a, b) => ["sanctioned", "likely", "review", "candidate"].indexOf(a) - ["sanctioned", "likely", "review", "candidate"].indexOf(b)));
  });

  it("stays inside the budget", async () => {
    const { hub, calls } = fakeHub(world);
    const r = await runDiscovery({ identity, hub, budget: { maxSearches: 2, maxProfiles: 3, maxListings: 1 } });
    expect(calls.search).toBe(2);
    // sanctioned namespaces are looked up outside the budget (inventory)
    expect(calls.getAccount).toBe(3 + identity.sanctioned.length);
    expect(calls.listRepositories).toBe(1 + identity.sanctioned.length);
    expect(r.stats.searches).toBe(2);
  });

  it("records failed calls and keeps going", async () => {
    const { hub } = fakeHub(world, { failSearch: true, failProfile: "acme-rockets-dev" });
    const r = await runDiscovery({ identity, hub });
    expect(r.errors.filter((e) => e.step === "search").length).toBe(r.stats.searches);
    expect(r.errors).toContainEqual({ step: "profile", target: "acme-rockets-dev", message: "Hub API rate limit" });
    expect(r.candidates.find((c) => c.namespace === "acme-rockets-corp")).toBeDefined();
  });

  it("domain audit is the strongest evidence; prior dismissals pull confidence down", async () => {
    const { hub } = fakeHub({ ...world, rocketeer42: { repos: [] } });
    const r = await runDiscovery({
      identity,
      hub,
      domainAudit: [{ username: "rocketeer42", email: "r.k@acme-rockets.com", name: null, dateJoined: "2022-01-01T00:00:00.000Z" }],
      priorDismissed: [{ namespace: "acme-rockets-dev", reason: "contractor's own company" }],
    });
    const audit = r.candidates.find((c) => c.namespace === "rocketeer42")!;
    expect(audit).toMatchObject({ status: "likely", foundBy: ["domain audit"] });
    expect(audit.evidence[0]).toMatchObject({ type: "domain_audit", value: "r.k@acme-rockets.com", source: "Docker domain audit" });
    expect(audit.confidence).toBeGreaterThanOrEqual(0.99);
    const dismissed = r.candidates.find((c) => c.namespace === "acme-rockets-dev")!;
    const neg = dismissed.evidence.find((e) => e.type === "previously_dismissed")!;
    expect(neg.detail).toMatch(/contractor's own company/);
    expect(neg.contribution).toBeLessThan(0);
  });

  it("domain-audit names stay even beyond the profile budget", async () => {
    const { hub } = fakeHub(world);
    const audit = ["aud1", "aud2", "aud3"].map((u) => ({ username: u, email: `${u}@acme-rockets.com`, name: null, dateJoined: null }));
    const r = await runDiscovery({ identity, hub, domainAudit: audit, budget: { maxProfiles: 1 } });
    expect(r.candidates.filter((c) => c.foundBy.includes("domain audit")).map((c) => c.namespace).sort()).toEqual(["aud1", "aud2", "aud3"]);
    expect(r.warnings.some((w) => w.code === "budget_truncated" && w.value === "profiles")).toBe(true);
  });

  it("supplied namespaces are examined first", async () => {
    const { hub } = fakeHub({ ...world, "quiet-user": { profile: { gravatarEmail: "q@acme-rockets.com" } } });
    const r = await runDiscovery({ identity, hub, seedNamespaces: ["Quiet-User", "not a namespace!"], budget: { maxProfiles: 1 } });
    const q = r.candidates.find((c) => c.namespace === "quiet-user")!;
    expect(q).toMatchObject({ status: "likely", foundBy: ["supplied namespace"] });
  });
});

describe("pickTags", () => {
  const tag = (name: string, pushed: string, digest: string | null): HubTag => ({ name, digest, mediaType: null, fullSize: null, lastPushed: pushed, lastUpdated: pushed, images: [{ os: "linux", architecture: "arm64", variant: "v8", digest: null, size: null }] });
  it("takes latest and the newest other digest", () => {
    const tags = [tag("1.0", "2024-01-01", "sha256:a"), tag("latest", "2023-01-01", "sha256:b"), tag("2.0", "2025-01-01", "sha256:b"), tag("3.0", "2024-06-01", "sha256:c")];
    expect(pickTags(tags, 2)).toEqual([
      { name: "latest", platform: "linux/arm64/v8" },
      { name: "3.0", platform: "linux/arm64/v8" },
    ]);
    expect(pickTags([], 2)).toEqual([]);
    expect(pickTags(tags, 1).map((t) => t.name)).toEqual(["latest"]);
  });
});
