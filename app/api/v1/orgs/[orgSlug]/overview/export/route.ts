// GET /api/v1/orgs/:orgSlug/overview/export?table=top-accounts|…&from=&to= — one overview table as CSV
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { csvResponse } from "@/lib/dashboard/csv";
import { OVERVIEW_TABLES, overviewTable } from "@/lib/dashboard/exports";
import { getOverview } from "@/lib/dashboard/overview";
import { OverviewQuery, parseQuery } from "@/lib/dashboard/query";
import { withOrg } from "@/lib/http/with-org";

const ZExport = z.object({ table: z.enum(OVERVIEW_TABLES) });

export const GET = withOrg(
  async ({ req, ctx }) => {
    const sp = new URL(req.url).searchParams;
    const { table } = parseQuery(ZExport, { table: sp.get("table") ?? undefined });
    const q = parseQuery(OverviewQuery, { from: sp.get("from") ?? undefined, to: sp.get("to") ?? undefined });
    const t = overviewTable(await getOverview(await getDb(), ctx, q), table);
    return csvResponse(`${ctx.orgSlug}-${table}`, t.header, t.rows);
  },
  { permission: "org.read" },
);
