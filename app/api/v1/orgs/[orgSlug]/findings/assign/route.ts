// POST /api/v1/orgs/:orgSlug/findings/assign {findingIds[], assigneeId|null} — bulk assignment to a member (analysts)
import { getDb } from "@/lib/db/client";
import { parseInput } from "@/lib/dashboard/audit";
import { AssignFindingsInput, assignFindings } from "@/lib/findings/workflows";
import { json, readJson } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

export const POST = withOrg(
  async ({ req, ctx }) => json(await assignFindings(await getDb(), ctx, parseInput(AssignFindingsInput, await readJson(req)))),
  { permission: "findings.triage" },
);
