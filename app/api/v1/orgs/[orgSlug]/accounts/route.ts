// GET /api/v1/orgs/:orgSlug/accounts?status=&tier=&riskMin=&confidenceMin=&pushedSince=&pullsMin=&q=&sort=&dir=&page=&pageSize=
import { getDb } from "@/lib/db/client";
import { listAccounts } from "@/lib/dashboard/accounts";
import { AccountListQuery, parseQuery } from "@/lib/dashboard/query";
import { json } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

export const GET = withOrg(
  async ({ req, ctx }) => json(await listAccounts(await getDb(), ctx, parseQuery(AccountListQuery, new URL(req.url).searchParams))),
  { permission: "accounts.read" },
);
