// org/discovery.requested → run the organisation's discovery plan (lib/discovery), store the
// candidates with their evidence, request scans of likely-shadow and sanctioned accounts.
import { defineJob } from "../define";
import { setRunProgress } from "../progress";
import { EVENTS, ZDiscoveryRequested } from "./events";

/** Statuses whose accounts are scanned: inventory and (likely or confirmed) shadow accounts. */
export const SCANNED_STATUSES = ["likely", "confirmed", "sanctioned", "offboarding"] as const;

export const orgDiscovery = defineJob({
  id: "org-discovery",
  name: "Discover accounts",
  trigger: { event: EVENTS.discoveryRequested },
  schema: ZDiscoveryRequested,
  // one discovery per organisation at a time; at most two across the installation (Hub API budget)
  concurrency: [
    { key: "event.data.orgId", limit: 1 },
    { key: '"hub-discovery"', limit: 2, scope: "env" },
  ],
  retries: 3,
  async handler({ event, step, deps }) {
    const { orgId } = event.data;
    const org = await step.run("load-org", () => deps.db.organization.findUnique({ where: { id: orgId }, select: { id: true } }));
    if (!org) return { skipped: "organisation deleted" };
    const outcome = await step.run("run-discovery", () => deps.discover({ db: deps.db, orgId, hub: deps.hub, registry: deps.registry }));
    const accounts = await step.run("select-accounts", () =>
      deps.db.hubAccount.findMany({
        where: { orgId, status: { in: [...SCANNED_STATUSES] } },
        select: { id: true },
        orderBy: { namespace: "asc" },
      }),
    );
    await step.run("report-progress", async () => {
      await setRunProgress(deps.db, { functionId: "org-discovery", eventId: event.id }, {
        candidates: outcome.candidates,
        accountsToScan: accounts.length,
      });
      return null;
    });
    if (accounts.length) {
      await step.sendEvent(
        "request-account-scans",
        accounts.map((a) => ({ name: EVENTS.accountScanRequested, data: { orgId, accountId: a.id, reason: "discovery" } })),
      );
    }
    return { candidates: outcome.candidates, accountsToScan: accounts.length };
  },
});
