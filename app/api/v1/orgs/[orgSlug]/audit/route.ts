// GET /api/v1/orgs/:orgSlug/audit?limit=&before= - audit trail, newest first (admins)
import { z } from "zod";
import { listAudit } from "@/lib/audit";
import { getDb } from "@/lib/db/client";
import { invalidInput } from "@/lib/errors";
import { json } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

const ZQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).optional(),
  before: z.coerce.date().optional(),
  targetType: z.string().max(40).optional(),
});

export const GET = withOrg(
  async ({ req, ctx }) => {
    const q = ZQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
    if (!q.success) throw invalidInput(q.error.issues);
    return json({ entries: await listAudit(await getDb(), ctx, q.data) });
  },
  { permission: "audit.read" },
);
