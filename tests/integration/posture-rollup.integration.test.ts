// computeOrgPosture reads the trigger-kept rollups (FindingRollup, FindingDaily) and the five
// riskiest accounts instead of every finding. This checks it against the direct computation
// from the rows themselves, before and after triage changes, in both organisations.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { setFindingStatus } from "@/lib/findings/workflows";
import { claimAccount, triageAccounts } from "@/lib/accounts/workflows";
import { scorePosture, type AccountStatusName } from "@/lib/risk/score";
import { computeOrgPosture } from "@/lib/risk/store";
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
