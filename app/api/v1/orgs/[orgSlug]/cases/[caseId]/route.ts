// PATCH /api/v1/orgs/:orgSlug/cases/:caseId {ownerId?, dueDate?} — case owner and due date (admins)
import { z } from "zod";
import { updateCase } from "@/lib/accounts/offboarding";
import { parseInput } from "@/lib/dashboard/audit";
import { getDb } from "@/lib/db/client";
import { json, readJson } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

const ZBody = z.object({
  ownerId: z.string().max(64).nullable().optional(),
  dueDate: z.coerce.date().nullable().optional(),
});

export const PATCH = withOrg(
  async ({ req, ctx, param }) => {
    const body = parseInput(ZBody, await readJson(req));
    return json(await updateCase(await getDb(), ctx, { caseId: param("caseId"), ...body }));
  },
  { permission: "accounts.offboard" },
);
