// POST /api/v1/orgs/:orgSlug/accounts/:accountId/offboard {ownerId?, dueDate?, note?} — admin: opens an offboarding case
import { z } from "zod";
import { openOffboardingCase } from "@/lib/accounts/offboarding";
import { parseInput } from "@/lib/dashboard/audit";
import { getDb } from "@/lib/db/client";
import { json, readJson } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

const ZBody = z.object({
  ownerId: z.string().max(64).nullable().optional(),
  dueDate: z.coerce.date().nullable().optional(),
  note: z.string().trim().max(2000).optional(),
});

export const POST = withOrg(
  async ({ req, ctx, param }) => {
    const body = parseInput(ZBody, await readJson(req));
    return json(await openOffboardingCase(await getDb(), ctx, { accountId: param("accountId"), ...body }), 201);
  },
  { permission: "accounts.offboard" },
);
