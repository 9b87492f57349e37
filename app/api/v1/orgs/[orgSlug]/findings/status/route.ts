// POST /api/v1/orgs/:orgSlug/findings/status {findingIds[], status, reason?} — bulk status change (analysts)
import { EVENTS, sendEvents } from "@/jobs/client";
import { getDb } from "@/lib/db/client";
import { parseInput } from "@/lib/dashboard/audit";
import { SetFindingStatusInput, setFindingStatus } from "@/lib/findings/workflows";
import { json, readJson } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";
import { revocationChecks } from "@/lib/liveness";

export const POST = withOrg(
  async ({ req, ctx }) => {
    const db = await getDb();
    const input = parseInput(SetFindingStatusInput, await readJson(req));
    const result = await setFindingStatus(db, ctx, input);
    if (input.status === "revoked") await confirmRevocation(db, ctx, input.findingIds);
    return json(result);
  },
  { permission: "findings.triage" },
);

/** "Rescan confirms": ask the providers whether the keys marked revoked really stopped working. */
async function confirmRevocation(db: Awaited<ReturnType<typeof getDb>>, ctx: { orgId: string }, findingIds: string[]): Promise<void> {
  try {
    const checks = await revocationChecks(db, ctx, findingIds);
    if (checks.length) await sendEvents(checks.map((data) => ({ name: EVENTS.livenessRequested, data })), db);
  } catch (e) {
    // the status change is done; the daily re-check will confirm it instead
    console.warn("[liveness] could not queue revocation checks:", e instanceof Error ? e.message : "unknown error");
  }
}
