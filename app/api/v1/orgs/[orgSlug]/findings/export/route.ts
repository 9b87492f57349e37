// GET /api/v1/orgs/:orgSlug/findings/export?<list filters> — filtered findings as CSV (masked values; ≤ 10,000 rows)
import { getDb } from "@/lib/db/client";
import { csvResponse } from "@/lib/dashboard/csv";
import { findingsTable } from "@/lib/dashboard/exports";
import { exportFindings } from "@/lib/dashboard/findings";
import { FindingListQuery, parseQuery } from "@/lib/dashboard/query";
import { withOrg } from "@/lib/http/with-org";

export const GET = withOrg(
  async ({ req, ctx }) => {
    const q = parseQuery(FindingListQuery, new URL(req.url).searchParams);
    const t = findingsTable(await exportFindings(await getDb(), ctx, q));
    return csvResponse(`${ctx.orgSlug}-findings`, t.header, t.rows);
  },
  { permission: "findings.read" },
);
