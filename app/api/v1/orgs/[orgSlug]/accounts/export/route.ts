// GET /api/v1/orgs/:orgSlug/accounts/export?<list filters> — the filtered accounts list as CSV (≤ 10,000 rows)
import { getDb } from "@/lib/db/client";
import { exportAccounts } from "@/lib/dashboard/accounts";
import { csvResponse } from "@/lib/dashboard/csv";
import { accountsTable } from "@/lib/dashboard/exports";
import { AccountListQuery, parseQuery } from "@/lib/dashboard/query";
import { withOrg } from "@/lib/http/with-org";

export const GET = withOrg(
  async ({ req, ctx }) => {
    const q = parseQuery(AccountListQuery, new URL(req.url).searchParams);
    const t = accountsTable(await exportAccounts(await getDb(), ctx, q));
    return csvResponse(`${ctx.orgSlug}-accounts`, t.header, t.rows);
  },
  { permission: "accounts.read" },
);
