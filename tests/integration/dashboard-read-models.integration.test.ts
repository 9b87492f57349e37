import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getOverview } from "@/lib/dashboard/overview";
import { getAccountDetail, listAccounts } from "@/lib/dashboard/accounts";
import { findingFacets, getFindingDetail, listFindings } from "@/lib/dashboard/findings";
import { AccountListQuery, FindingListQuery, parseQuery } from "@/lib/dashboard/query";
import { openWorld, type World } from "./dashboard-fixtures";

let w: World;
const now = new Date();
beforeAll(async () => {
  w = await openWorld(now);
});
afterAll(async () => {
  await w?.close();
});

const aq = (p: Record<string, string> = {}) => parseQuery(AccountListQuery, new URLSearchParams(p));
const fq = (p: Record<string, string> = {}) => parseQuery(FindingListQuery, new URLSearchParams(p));

describe("overview", () => {
  it("aggregates only the organisation's own rows", async () => {
    const o = await getOverview(w.h.prisma, { orgId: w.orgA.id }, { now });
    // open findings: aws, gh (critical), openai (high), generic (medium)
    expect(Object.fromEntries(o.openBySeverity.map((s) => [s.severity, s.value]))).toEqual({
      critical: 2,
      high: 1,
      medium: 1,
      low: 0,
    });
    expect(o.openTotal.value).toBe(4);
    // shadow statuses: likely(92), confirmed(30); review, candidate and sanctioned excluded
    expect(Object.fromEntries(o.shadowByTier.map((s) => [s.tier, s.value]))).toEqual({ critical: 1, high: 0, medium: 1, low: 0 });
    expect(o.toReview.value).toBe(1);
    expect(o.secrets.live.value).toBe(1);
    expect(o.secrets.unverified.value).toBe(3);
    expect(o.secrets.rejected.value).toBe(0);
    expect(o.secrets.revoked.value).toBe(1);
    // stripe: first seen 20 days ago, resolved 18 days ago → 48 hours
    expect(o.mttr.hours).toBeCloseTo(48, 3);
    expect(o.topAccounts.map((a) => a.namespace)).toEqual(["acme-devops", "acme-ml", "acme-intern", "acme-corp", "acme-old"]);
    expect(o.topAccounts[0]).toMatchObject({ openFindings: 2, criticalFindings: 2 });
    expect(o.newThisWeek.accounts.value).toBe(1);
    expect(o.newThisWeek.findings.value).toBe(1);
    expect(o.exposure.score).toBe(50);
    expect(o.exposure.previous).toBe(51);
    expect(o.trend.length).toBe(10);
    expect(JSON.stringify(o)).not.toContain("globex");
  });

  it("respects the date range for the trend", async () => {
    const from = new Date(now.getTime() - 3 * 86_400_000);
    const o = await getOverview(w.h.prisma, { orgId: w.orgA.id }, { now, from, to: now });
    expect(o.trend.length).toBe(4);
    expect(o.trend.map((t) => t.day)).toEqual([...o.trend.map((t) => t.day)].sort());
  });

  it("each figure's filter reproduces the number in the list behind it", async () => {
    const o = await getOverview(w.h.prisma, { orgId: w.orgA.id }, { now });
    const figures = [
      ...o.shadowByTier,
      o.shadowTotal,
      o.toReview,
      ...o.openBySeverity,
      ...o.openByProvider,
      o.openTotal,
      o.secrets.live,
      o.secrets.rejected,
      o.secrets.unverified,
      o.secrets.revoked,
      o.newThisWeek.accounts,
      o.newThisWeek.findings,
    ];
    for (const f of figures) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(f.filter)) params.set(k, Array.isArray(v) ? v.join(",") : String(v));
      const page =
        f.list === "accounts"
          ? await listAccounts(w.h.prisma, { orgId: w.orgA.id }, parseQuery(AccountListQuery, params))
          : await listFindings(w.h.prisma, { orgId: w.orgA.id }, parseQuery(FindingListQuery, params));
      expect({ filter: f.filter, total: page.total }).toEqual({ filter: f.filter, total: f.value });
    }
  });

  it("an empty organisation gets zeros and a live exposure score, not an error", async () => {
    const c = await w.h.prisma.organization.create({ data: { slug: "empty-co", name: "Empty" } });
    const o = await getOverview(w.h.prisma, { orgId: c.id }, { now });
    expect(o.exposure).toMatchObject({ score: 0, asOf: "now" });
    expect(o.openTotal.value).toBe(0);
    expect(o.topAccounts).toEqual([]);
    expect(o.trend).toEqual([]);
    expect(o.mttr.hours).toBeNull();
  });

  it("refuses an unscoped call", async () => {
    await expect(getOverview(w.h.prisma, { orgId: "" })).rejects.toThrow(/tenant scope/);
  });
});

describe("accounts list", () => {
  it("paginates, sorts and filters within the organisation", async () => {
    const all = await listAccounts(w.h.prisma, { orgId: w.orgA.id }, aq({ pageSize: "2" }));
    expect(all.total).toBe(5);
    expect(all.pageCount).toBe(3);
    expect(all.items.map((a) => a.namespace)).toEqual(["acme-devops", "acme-ml"]);
    const p3 = await listAccounts(w.h.prisma, { orgId: w.orgA.id }, aq({ pageSize: "2", page: "3" }));
    expect(p3.items.map((a) => a.namespace)).toEqual(["acme-old"]);

    const byPulls = await listAccounts(w.h.prisma, { orgId: w.orgA.id }, aq({ sort: "pullCount", dir: "asc" }));
    expect(byPulls.items.map((a) => a.pullCount)).toEqual([0, 5, 300, 12000, 100000]);

    const byPush = await listAccounts(w.h.prisma, { orgId: w.orgA.id }, aq({ sort: "lastPushAt", dir: "desc" }));
    expect(byPush.items.at(-1)!.namespace).toBe("acme-old"); // never pushed: last

    const filtered = await listAccounts(
      w.h.prisma,
      { orgId: w.orgA.id },
      aq({ status: "likely,review,confirmed", confidenceMin: "0.65" }),
    );
    expect(filtered.items.map((a) => a.namespace).sort()).toEqual(["acme-devops", "acme-intern"]);
    const tier = await listAccounts(w.h.prisma, { orgId: w.orgA.id }, aq({ tier: "critical,high" }));
    expect(tier.items.map((a) => a.tier)).toEqual(["critical", "high"]);
    const q = await listAccounts(w.h.prisma, { orgId: w.orgA.id }, aq({ q: "DEVOPS" }));
    expect(q.items.map((a) => a.namespace)).toEqual(["acme-devops"]);
    expect(q.items[0]).toMatchObject({ openFindings: 2, criticalFindings: 2 });
    const pulls = await listAccounts(w.h.prisma, { orgId: w.orgA.id }, aq({ pullsMin: "1000" }));
    expect(pulls.total).toBe(2);
    const push = await listAccounts(w.h.prisma, { orgId: w.orgA.id }, aq({ pushedSince: new Date(now.getTime() - 7 * 86_400_000).toISOString() }));
    expect(push.items.map((a) => a.namespace).sort()).toEqual(["acme-corp", "acme-devops"]);
    const none = await listAccounts(w.h.prisma, { orgId: w.orgA.id }, aq({ q: "globex" }));
    expect(none.total).toBe(0);
  });

  it("rejects bad filters with field errors", () => {
    expect(() => aq({ status: "bogus" })).toThrow(/invalid/i);
    expect(() => aq({ pageSize: "1000" })).toThrow();
    expect(() => aq({ sort: "password" })).toThrow();
  });
});

describe("account detail", () => {
  it("returns profile, evidence, risk parts, repositories, masked findings with locations and a timeline", async () => {
    const d = await getAccountDetail(w.h.prisma, { orgId: w.orgA.id }, w.accountsA["acme-devops"]!);
    expect(d.account.namespace).toBe("acme-devops");
    expect(d.evidence.map((e) => e.type)).toEqual(["label_email", "name_match"]); // strongest first
    expect(d.riskParts).toMatchObject({ attribution: 0.9 });
    expect(d.repositories[0]!.images.map((i) => i.tag)).toEqual(["latest", "v1"]);
    expect(d.findings.map((f) => f.detector).sort()).toEqual(["aws-access-key", "github-pat"]);
    const gh = d.findings.find((f) => f.detector === "github-pat")!;
    expect(gh.locations).toHaveLength(2);
    expect(gh.locations.some((l) => l.deleted && l.path === "app/.env" && l.platform === "linux/amd64")).toBe(true);
    expect(gh.fingerprintPrefix).toHaveLength(12);
    // no raw secret value and no full fingerprint leaves the read model
    const json = JSON.stringify(d);
    expect(json).not.toContain("acme-aws-value");
    expect(json).not.toContain(crypto.createHash("sha256").update("acme-aws-value").digest("hex"));
    expect(json).toContain(crypto.createHash("sha256").update("acme-aws-value").digest("hex").slice(0, 12));
    expect(d.timeline.some((t) => t.kind === "discovered")).toBe(true);
  });

  it("another organisation's account is not found", async () => {
    await expect(getAccountDetail(w.h.prisma, { orgId: w.orgA.id }, w.accountsB["globex-devops"]!)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("findings list", () => {
  it("filters by severity, status, detector, deleted, account, assignee", async () => {
    const s = { orgId: w.orgA.id, userId: w.users.analyst.id };
    const crit = await listFindings(w.h.prisma, s, fq({ severity: "critical", status: "open" }));
    expect(crit.items.map((f) => f.detector).sort()).toEqual(["aws-access-key", "github-pat"]);
    const del = await listFindings(w.h.prisma, s, fq({ deleted: "true" }));
    expect(del.items.map((f) => f.detector)).toEqual(["github-pat"]);
    const det = await listFindings(w.h.prisma, s, fq({ detector: "generic-secret" }));
    expect(det.total).toBe(2);
    const acc = await listFindings(w.h.prisma, s, fq({ accountId: w.accountsA["acme-ml"]! }));
    expect(acc.items.every((f) => f.accountNamespace === "acme-ml")).toBe(true);
    expect(acc.total).toBe(2);
    const none = await listFindings(w.h.prisma, s, fq({ assignee: "none" }));
    expect(none.total).toBe(6);
    const me = await listFindings(w.h.prisma, s, fq({ assignee: "me" }));
    expect(me.total).toBe(0);
    // default sort: most severe first
    const all = await listFindings(w.h.prisma, s, fq());
    expect(all.items.map((f) => f.severity)).toEqual(["critical", "critical", "critical", "high", "medium", "low"]);
    expect(JSON.stringify(all)).not.toContain("globex");
    expect(all.items.every((f) => !("fingerprint" in f))).toBe(true);
    // org B's account id as a filter yields nothing
    const cross = await listFindings(w.h.prisma, s, fq({ accountId: w.accountsB["globex-devops"]! }));
    expect(cross.total).toBe(0);
  });

  it("detail has every location and is not found across organisations", async () => {
    const d = await getFindingDetail(w.h.prisma, { orgId: w.orgA.id }, w.findingsA.gh!);
    expect(d.locations).toHaveLength(2);
    await expect(getFindingDetail(w.h.prisma, { orgId: w.orgA.id }, w.findingsB.gh!)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const f = await findingFacets(w.h.prisma, { orgId: w.orgA.id });
    expect(f.detectors).toContain("aws-access-key");
  });
});
