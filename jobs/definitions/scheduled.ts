// Scheduled work: daily rediscovery per organisation, hourly new-tag check (an account scan only
// fans out digests that changed), daily posture snapshot. Event ids carry the time slot, so a
// tick re-run after a crash (or by two schedulers) requests the same work once.
import { recomputeOrgPosture } from "@/lib/risk/store";
import { defineJob } from "../define";
import { EVENTS } from "./events";
import { SCANNED_STATUSES } from "./org-discovery";
import { z } from "zod";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZTick = z.object({}).loose();

export const dailyRediscovery = defineJob({
  id: "daily-rediscovery",
  name: "Daily rediscovery",
  trigger: { cron: "0 3 * * *", everyMs: DAY },
  schema: ZTick,
  retries: 2,
  async handler({ step, deps }) {
    const slot = Math.floor(deps.now().getTime() / DAY);
    const orgs = await step.run("list-orgs", () => deps.db.organization.findMany({ select: { id: true }, orderBy: { createdAt: "asc" } }));
    if (orgs.length) {
      await step.sendEvent(
        "request-discovery",
        orgs.map((o) => ({ name: EVENTS.discoveryRequested, id: `rediscover:${o.id}:${slot}`, data: { orgId: o.id, reason: "scheduled" } })),
      );
    }
    return { organisations: orgs.length };
  },
});

export const hourlyNewTags = defineJob({
  id: "hourly-new-tags",
  name: "Hourly new-tag check",
  trigger: { cron: "0 * * * *", everyMs: HOUR },
  schema: ZTick,
  retries: 2,
  async handler({ step, deps }) {
    const slot = Math.floor(deps.now().getTime() / HOUR);
    const accounts = await step.run("list-monitored", () =>
      deps.db.hubAccount.findMany({
        // only accounts already scanned once; new ones are scanned by discovery
        where: { status: { in: [...SCANNED_STATUSES] }, lastScannedAt: { not: null } },
        select: { id: true, orgId: true },
      }),
    );
    if (accounts.length) {
      await step.sendEvent(
        "request-account-scans",
        accounts.map((a) => ({
          name: EVENTS.accountScanRequested,
          id: `newtags:${a.id}:${slot}`,
          data: { orgId: a.orgId, accountId: a.id, reason: "new-tags" },
        })),
      );
    }
    return { accounts: accounts.length };
  },
});

export const dailyPosture = defineJob({
  id: "daily-posture",
  name: "Daily posture snapshot",
  trigger: { cron: "30 0 * * *", everyMs: DAY },
  schema: ZTick,
  retries: 2,
  async handler({ step, deps }) {
    const orgs = await step.run("list-orgs", () => deps.db.organization.findMany({ select: { id: true } }));
    for (const o of orgs) {
      await step.run(`snapshot:${o.id}`, async () => (await recomputeOrgPosture(deps.db, { orgId: o.id }, deps.now())).score);
    }
    return { organisations: orgs.length };
  },
});
