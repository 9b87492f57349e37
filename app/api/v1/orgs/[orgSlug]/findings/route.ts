// GET /api/v1/orgs/:orgSlug/findings?severity=&status=&detector=&provider=&liveness=&deleted=&accountId=&assignee=&q=&sort=&dir=&page=&pageSize=
import { getDb } from "@/lib/db/client";
import { listFindings } from "@/lib/dashboard/findings";
import { FindingListQuery, parseQuery } from "@/lib/dashboard/query";
import { json } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

export const GET = withOrg(
  async ({ req, ctx }) => json(await listFindings(await getDb(), ctx, parseQuery(FindingListQuery, new URL(req.url).searchParams))),
  { permission: "findings.read" },
);
