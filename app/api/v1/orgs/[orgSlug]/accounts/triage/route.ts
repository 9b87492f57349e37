// POST /api/v1/orgs/:orgSlug/accounts/triage {accountIds[], decision: confirm|dismiss, reason?} — bulk triage (analysts)
import { getDb } from "@/lib/db/client";
import { parseInput } from "@/lib/dashboard/audit";
import { TriageAccountsInput, triageAccounts } from "@/lib/accounts/workflows";
import { json, readJson } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

export const POST = withOrg(
  async ({ req, ctx }) => json(await triageAccounts(await getDb(), ctx, parseInput(TriageAccountsInput, await readJson(req)))),
  { permission: "accounts.triage" },
);
