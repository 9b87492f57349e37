// GET /api/v1/orgs/:orgSlug/findings/:findingId — a finding with every location, comments and history
import { getDb } from "@/lib/db/client";
import { getFindingDetail } from "@/lib/dashboard/findings";
import { json } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

export const GET = withOrg(
  async ({ ctx, param }) => json(await getFindingDetail(await getDb(), ctx, param("findingId"))),
  { permission: "findings.read" },
);
