// POST /api/v1/orgs/:orgSlug/findings/:findingId/verify — check now whether this secret is still live
// (e.g. after marking it revoked: the check confirms it). Answers 202 with the queued event id.
import { EVENTS, triggerJob } from "@/jobs/client";
import { getDb } from "@/lib/db/client";
import { json } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";
import { prepareFindingVerification } from "@/lib/liveness";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = withOrg(
  async ({ ctx, param }) => {
    const db = await getDb();
    const data = await prepareFindingVerification(db, ctx, param("findingId"));
    const eventId = await triggerJob({ name: EVENTS.livenessRequested, data }, db);
    return json({ queued: true, eventId }, 202);
  },
  { permission: "jobs.run" },
);
