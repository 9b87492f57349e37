// finding/liveness.requested → check whether found secrets are still live (lib/liveness), after a
// scan (that digest's open findings), daily (every open finding, and analyst-revoked ones not yet
// confirmed) or on request (one finding). Each batch of checks is one durable step, so a resumed
// run does not call providers again for findings already checked.
import { getLivenessSettings, purgeOrphanedSeals, selectFindingsToVerify, verifyFinding } from "@/lib/liveness";
import { recomputeAccountRisk, recomputeOrgPosture } from "@/lib/risk/store";
import { z } from "zod";
import { defineJob } from "../define";
import { EVENTS, ZLivenessRequested } from "./events";

const BATCH = 10;
const DAY = 24 * 3_600_000;

export const livenessVerify = defineJob({
  id: "liveness-verify",
  name: "Verify secrets are live",
  trigger: { event: EVENTS.livenessRequested },
  schema: ZLivenessRequested,
  concurrency: [
    { key: "event.data.orgId", limit: 1 },
    // outbound provider calls for the whole installation
    { key: '"liveness-calls"', limit: 2, scope: "env" },
  ],
  retries: 2,
  async handler({ event, step, deps }) {
    const { orgId, reason, digest, findingId } = event.data;
    const scope = { orgId };
    const liveness = deps.liveness;
    if (!liveness) return { skipped: "verification disabled for this installation" };
    const ids = await step.run("select", async () => {
      const org = await deps.db.organization.findFirst({ where: { id: orgId }, select: { id: true } });
      if (!org) return "organisation not found";
      if (!(await getLivenessSettings(deps.db, scope)).enabled) return null;
      return selectFindingsToVerify(deps.db, scope, { reason, digest, findingId, now: deps.now() });
    });
    if (ids === null) return { skipped: "verification turned off for this organisation" };
    if (typeof ids === "string") return { skipped: ids };

    const changedAccounts = new Set<string>();
    const totals = { checked: 0, live: 0, revoked: 0, unknown: 0, flipped: 0 };
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      const results = await step.run(`verify:${i / BATCH}`, async () => {
        const now = deps.now();
        const out = await Promise.all(batch.map((id) => verifyFinding(deps.db, scope, id, { ring: liveness.ring, client: liveness.client, now })));
        // only ids and outcomes travel in the step output (stored in JobStep): never a secret
        return out.filter((r) => r !== null).map((r) => ({ accountId: r.accountId, before: r.before, after: r.after }));
      });
      for (const r of results) {
        totals.checked++;
        totals[r.after]++;
        if (r.before !== r.after) {
          totals.flipped++;
          changedAccounts.add(r.accountId);
        }
      }
    }
    if (changedAccounts.size) {
      await step.run("update-risk", async () => {
        for (const a of changedAccounts) await recomputeAccountRisk(deps.db, scope, a);
        await recomputeOrgPosture(deps.db, scope);
        return changedAccounts.size;
      });
    }
    return totals;
  },
});

export const dailyLiveness = defineJob({
  id: "daily-liveness",
  name: "Daily liveness re-check",
  trigger: { cron: "15 4 * * *", everyMs: DAY },
  schema: z.object({}).loose(),
  retries: 2,
  async handler({ step, deps }) {
    if (!deps.liveness) return { skipped: "verification disabled for this installation" };
    const slot = Math.floor(deps.now().getTime() / DAY);
    // sealed values nothing points at any more are not kept "just in case"
    const purged = await step.run("purge-orphaned-seals", () => purgeOrphanedSeals(deps.db, deps.now()));
    const orgs = await step.run("list-orgs", () => deps.db.organization.findMany({ select: { id: true }, orderBy: { createdAt: "asc" } }));
    if (orgs.length) {
      await step.sendEvent(
        "request-liveness",
        orgs.map((o) => ({ name: EVENTS.livenessRequested, id: `liveness:${o.id}:${slot}`, data: { orgId: o.id, reason: "daily" } })),
      );
    }
    return { organisations: orgs.length, purgedSeals: purged };
  },
});
