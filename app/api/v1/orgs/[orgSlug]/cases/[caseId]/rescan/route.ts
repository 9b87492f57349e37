// POST /api/v1/orgs/:orgSlug/cases/:caseId/rescan — asks the jobs layer to rescan the account (admins)
import { requestCaseRescan } from "@/lib/accounts/offboarding";
import { getDb } from "@/lib/db/client";
import { json } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";
import { EVENTS, triggerJob } from "@/jobs/client";

export const POST = withOrg(
  async ({ ctx, param }) => {
    const db = await getDb();
    const res = await requestCaseRescan(db, ctx, { caseId: param("caseId") }, async ({ orgId, accountId }) => ({
      runId: await triggerJob(
        { name: EVENTS.accountScanRequested, data: { orgId, accountId, requestedBy: ctx.userId, reason: "offboarding" } },
        db,
      ),
    }));
    return json(res, 202);
  },
  { permission: "accounts.offboard" },
);
