// POST /api/v1/orgs/:orgSlug/cases/:caseId/close {outcome: done|cancelled, reason?} (admins)
import { z } from "zod";
import { closeCase } from "@/lib/accounts/offboarding";
import { parseInput } from "@/lib/dashboard/audit";
import { getDb } from "@/lib/db/client";
import { json, readJson } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

const ZBody = z.object({ outcome: z.enum(["done", "cancelled"]), reason: z.string().trim().max(2000).optional() });

export const POST = withOrg(
  async ({ req, ctx, param }) => {
    const body = parseInput(ZBody, await readJson(req));
    return json(await closeCase(await getDb(), ctx, { caseId: param("caseId"), ...body }));
  },
  { permission: "accounts.offboard" },
);
