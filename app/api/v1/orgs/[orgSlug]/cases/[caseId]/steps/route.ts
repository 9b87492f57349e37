// POST /api/v1/orgs/:orgSlug/cases/:caseId/steps {key, done, note?} — tick a checklist step (admins)
import { z } from "zod";
import { setCaseStep } from "@/lib/accounts/offboarding";
import { parseInput } from "@/lib/dashboard/audit";
import { getDb } from "@/lib/db/client";
import { json, readJson } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

const ZBody = z.object({ key: z.string().max(80), done: z.boolean(), note: z.string().trim().max(2000).optional() });

export const POST = withOrg(
  async ({ req, ctx, param }) => {
    const body = parseInput(ZBody, await readJson(req));
    return json(await setCaseStep(await getDb(), ctx, { caseId: param("caseId"), ...body }));
  },
  { permission: "accounts.offboard" },
);
