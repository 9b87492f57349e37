// Queries rewritten for the 5,000-account / 100,000-finding scale (bench:dashboard), checked
// against what they replaced:
// - computeOrgPosture reads the trigger-kept rollups (FindingRollup, FindingDaily) and the five
//   riskiest accounts instead of every finding: equal to the direct computation from the rows,
//   before and after triage changes, in both organisations;
// - account risk is computed for a batch of accounts with four queries: each account's figure
//   equals the one computed for it alone, and the single UPDATE stores exactly those;
// - the findings text search (names resolved through the rollup, masked-only matches through the
//   trigram index) returns the same total and page as the plain ILIKE filter, with and without
//   other filters;
// - an offboarding case's checklist lists the account's open findings through a UNION (first
//   seen there, or located there), not an OR over the locations relation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { setFindingStatus } from "@/lib/findings/workflows";
import { claimAccount, triageAccounts } from "@/lib/accounts/workflows";
import { openOffboardingCase } from "@/lib/accounts/offboarding";
import { findingOrder, findingWhere, listFindings } from "@/lib/dashboard/findings";
import { FindingListQuery, parseQuery } from "@/lib/dashboard/query";
import { scorePosture, type AccountStatusName } from "@/lib/risk/score";
import { computeAccountsRisk, computeOrgPosture, recomputeAccountsRisk } from "@/lib/risk/store";
import { openWorld, type World } from "./dashboard-fixtures";

const COUNTED: AccountStatusName[] = ["review", "likely", "confirmed", "sanctioned", "offboarding", "offboarded"];
const SHADOW: AccountStatusName[] = ["likely", "confirmed", "offboarding"];

/** The posture straight from the rows: every counted account, every resolved finding. */
async function direct(db: Db, orgId: string) {
  const accounts = await db.hubAccount.findMany({ where: { orgId, status: { in: COUNTED } }, select: { risk: true, status: true } });
  const resolved = await db.finding.findMany({ where: { orgId, resolvedAt: { not: null } }, select: { firstSeenAt: true, resolvedAt: true } });
  return scorePosture({
    accountRisks: accounts.map((a) => a.risk),
    openFindings: await db.finding.count({ where: { orgId, status: "open" } }),
    openCritical: await db.finding.count({ where: { orgId, status: "open", severity: "critical" } }),
    liveSecrets: await db.finding.count({ where: { orgId, status: "open", liveness: "live" } }),
    shadowAccounts: accounts.filter((a) => SHADOW.includes(a.status as AccountStatusName)).length,
    remediationHours: resolved.map((f) => Math.max(0, (f.resolvedAt!.getTime() - f.firstSeenAt.getTime()) / 3_600_000)),
  });
}

let w: World;
beforeAll(async () => {
  w = await openWorld(new Date());
});
afterAll(async () => {
  await w?.close();
});

describe("computeOrgPosture from rollups", () => {
  it("equals the direct computation on the seeded world", async () => {
    const db = w.h.prisma;
    for (const orgId of [w.orgA.id, w.orgB.id]) {
      const want = await direct(db, orgId);
      expect(await computeOrgPosture(db, { orgId })).toEqual(want);
    }
    // the world has open criticals and a resolved finding, so the comparison is not vacuous
    const a = await computeOrgPosture(db, { orgId: w.orgA.id });
    expect(a.openCritical).toBeGreaterThan(0);
    expect(a.mttrHours).not.toBeNull();
  });

  it("stays equal after findings are resolved, reopened and accounts triaged or claimed", async () => {
    const db = w.h.prisma;
    const ctx = w.ctx("admin");
    const before = await computeOrgPosture(db, { orgId: w.orgA.id });
    const ids = Object.values(w.findingsA);
    await setFindingStatus(db, ctx, { findingIds: ids.slice(0, 2), status: "revoked" });
    await setFindingStatus(db, ctx, { findingIds: ids.slice(2, 3), status: "accepted_risk", reason: "test fixture" });
    await setFindingStatus(db, ctx, { findingIds: ids.slice(1, 2), status: "open" });
    const review = await db.hubAccount.findFirstOrThrow({ where: { orgId: w.orgA.id, status: "review" } });
    const likely = await db.hubAccount.findFirstOrThrow({ where: { orgId: w.orgA.id, status: "likely" } });
    await triageAccounts(db, ctx, { accountIds: [review.id], decision: "confirm" });
    await claimAccount(db, ctx, { accountId: likely.id });

    const after = await computeOrgPosture(db, { orgId: w.orgA.id });
    expect(after).toEqual(await direct(db, w.orgA.id));
    expect(after).not.toEqual(before);
    // the other organisation is untouched
    expect(await computeOrgPosture(db, { orgId: w.orgB.id })).toEqual(await direct(db, w.orgB.id));
  });
});

describe("offboarding checklist", () => {
  it("lists the open findings first seen on the account and those located there, most severe first", async () => {
    const db = w.h.prisma;
    const ml = w.accountsA["acme-ml"]!;
    // gh was first seen on acme-devops; the same secret also turns up in an acme-ml image
    await db.findingLocation.create({
      data: {
        orgId: w.orgA.id,
        findingId: w.findingsA.gh!,
        accountId: ml,
        repository: "acme-ml/train",
        tag: "latest",
        imageDigest: `sha256:${"e".repeat(64)}`,
        platform: "linux/amd64",
        source: "layer",
        path: "root/.netrc",
        deleted: false,
        locationKey: "reused-gh-in-ml",
      },
    });
    // the query it replaced, as the reference
    const want = await db.finding.findMany({
      where: { orgId: w.orgA.id, status: "open", OR: [{ accountId: ml }, { locations: { some: { orgId: w.orgA.id, accountId: ml } } }] },
      orderBy: [{ severity: "asc" }, { firstSeenAt: "asc" }, { id: "asc" }],
      select: { id: true },
    });
    expect(want.length).toBeGreaterThan(1);
    expect(want.map((f) => f.id)).toContain(w.findingsA.gh);
    const c = await openOffboardingCase(db, w.ctx("admin"), { accountId: ml });
    expect(c.checklist.filter((i) => i.findingId).map((i) => i.findingId)).toEqual(want.map((f) => f.id));
    // nothing of the other organisation, nothing already resolved
    const ids = new Set(c.checklist.map((i) => i.findingId).filter(Boolean));
    for (const id of Object.values(w.findingsB)) expect(ids.has(id)).toBe(false);
    expect(ids.has(w.findingsA.stripe)).toBe(false);
  });
});

describe("batched account risk", () => {
  it("scores each account of a batch as if alone and stores exactly that", async () => {
    const db = w.h.prisma;
    const scope = { orgId: w.orgA.id };
    const ids = Object.values(w.accountsA);
    expect(ids.length).toBeGreaterThan(3);
    // a secret first seen on one account and also located in another counts for both
    const [first, second] = ids;
    const f = await db.finding.findFirstOrThrow({ where: { orgId: w.orgA.id, accountId: first, status: "open" } });
    await db.findingLocation.create({
      data: {
        orgId: w.orgA.id, findingId: f.id, accountId: second!, repository: "x/y", tag: "latest",
        imageDigest: `sha256:${"d".repeat(64)}`, platform: "linux/amd64", source: "layer", path: "a", deleted: false, locationKey: "batch-risk-reuse",
      },
    });
    const batch = await computeAccountsRisk(db, scope, [...ids, w.accountsB[Object.keys(w.accountsB)[0]!]!]);
    // the other organisation's account is not scored through this organisation
    expect([...batch.keys()].sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const alone = await computeAccountsRisk(db, scope, [id]);
      expect(batch.get(id)).toEqual(alone.get(id));
    }
    expect(batch.get(second!)!.parts.openFindings).toBeGreaterThan(0);

    const otherBefore = await db.hubAccount.findMany({ where: { orgId: w.orgB.id }, select: { id: true, risk: true, riskParts: true } });
    await db.hubAccount.updateMany({ where: { orgId: w.orgA.id }, data: { risk: 0, riskParts: {} } });
    await recomputeAccountsRisk(db, scope, ids);
    const stored = await db.hubAccount.findMany({ where: { orgId: w.orgA.id, id: { in: ids } }, select: { id: true, risk: true, riskParts: true } });
    for (const a of stored) {
      expect(a.risk).toBe(batch.get(a.id)!.score);
      expect(a.riskParts).toEqual(JSON.parse(JSON.stringify(batch.get(a.id)!.parts)));
    }
    expect(stored.some((a) => a.risk > 0)).toBe(true);
    expect(await db.hubAccount.findMany({ where: { orgId: w.orgB.id }, select: { id: true, risk: true, riskParts: true } })).toEqual(otherBefore);
  });
});

describe("findings text search total", () => {
  it("equals the number of matching findings for every mix of text and rollup filters", async () => {
    const db = w.h.prisma;
    const ctx = w.ctx("analyst");
    // a masked preview that also contains another provider's name must be counted once
    const aws = await db.finding.findFirstOrThrow({ where: { id: w.findingsA.aws } });
    await db.finding.update({ where: { id: aws.id }, data: { masked: "openai-AKIA…Q7" } });
    // a finding assigned to the analyst, so "assignee=me" with text has something to find
    await db.finding.update({ where: { id: w.findingsA.gh }, data: { assigneeId: ctx.userId } });
    const texts = ["aws", "AWS", "openai", "key", "…", "AKIA", "Q7", "e", "zz-nothing"];
    const filters: Array<Record<string, string>> = [
      {},
      { status: "open" },
      { status: "open", severity: "critical,high" },
      { deleted: "false" },
      { liveness: "unknown" },
      { assignee: "me" },
      { sort: "lastSeenAt", pageSize: "2" },
    ];
    let nonZero = 0;
    for (const text of texts) {
      for (const f of filters) {
        const q = parseQuery(FindingListQuery, new URLSearchParams({ ...f, q: text }));
        // the plain ILIKE filter as the reference, for the total and the page
        const where = findingWhere(w.orgA.id, ctx.userId, q);
        const want = await db.finding.count({ where });
        const wantIds = (await db.finding.findMany({ where, orderBy: findingOrder(q), take: q.pageSize, select: { id: true } })).map((r) => r.id);
        const page = await listFindings(db, ctx, q);
        expect({ text, f, total: page.total, ids: page.items.map((i) => i.id) }).toEqual({ text, f, total: want, ids: wantIds });
        if (want > 0) nonZero++;
      }
    }
    expect(nonZero).toBeGreaterThan(10);
  });
});
