// GET /api/v1/orgs/:orgSlug/overview?from=&to= — the CISO overview (all figures + list filters)
import { getDb } from "@/lib/db/client";
import { getOverview } from "@/lib/dashboard/overview";
import { OverviewQuery, parseQuery } from "@/lib/dashboard/query";
import { json } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

export const GET = withOrg(
  async ({ req, ctx }) => {
    const q = parseQuery(OverviewQuery, new URL(req.url).searchParams);
    return json(await getOverview(await getDb(), ctx, q));
  },
  { permission: "org.read" },
);
