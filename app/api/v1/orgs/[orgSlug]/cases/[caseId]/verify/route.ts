// POST /api/v1/orgs/:orgSlug/cases/:caseId/verify — checks the rescan: pending | dirty | clean (admins)
import { verifyCaseRescan } from "@/lib/accounts/offboarding";
import { getDb } from "@/lib/db/client";
import { json } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

export const POST = withOrg(
  async ({ ctx, param }) => json(await verifyCaseRescan(await getDb(), ctx, { caseId: param("caseId") })),
  { permission: "accounts.offboard" },
);
