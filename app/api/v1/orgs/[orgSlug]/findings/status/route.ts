// POST /api/v1/orgs/:orgSlug/findings/status {findingIds[], status, reason?} — bulk status change (analysts)
import { getDb } from "@/lib/db/client";
import { parseInput } from "@/lib/dashboard/audit";
import { SetFindingStatusInput, setFindingStatus } from "@/lib/findings/workflows";
import { json, readJson } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

export const POST = withOrg(
  async ({ req, ctx }) => json(await setFindingStatus(await getDb(), ctx, parseInput(SetFindingStatusInput, await readJson(req)))),
  { permission: "findings.triage" },
);
