// GET /api/v1/orgs/:orgSlug/accounts/:accountId — account page data (profile, evidence, risk parts,
// repositories/images, masked findings with locations, cases, timeline)
import { getDb } from "@/lib/db/client";
import { getAccountDetail } from "@/lib/dashboard/accounts";
import { json } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

export const GET = withOrg(
  async ({ ctx, param }) => json(await getAccountDetail(await getDb(), ctx, param("accountId"))),
  { permission: "accounts.read" },
);
