// POST /api/v1/orgs/:orgSlug/accounts/:accountId/claim {note?} — admin: sanctioned inventory, still monitored
import { z } from "zod";
import { claimAccount } from "@/lib/accounts/workflows";
import { parseInput } from "@/lib/dashboard/audit";
import { getDb } from "@/lib/db/client";
import { json, readJson } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

const ZBody = z.object({ note: z.string().trim().max(2000).optional() });

export const POST = withOrg(
  async ({ req, ctx, param }) => {
    const body = parseInput(ZBody, await readJson(req));
    return json(await claimAccount(await getDb(), ctx, { accountId: param("accountId"), ...body }));
  },
  { permission: "accounts.claim" },
);
