// POST /api/v1/orgs/:orgSlug/jobs/:runId/retry - re-run a failed run (analysts and up)
import { retryJob } from "@/jobs/client";
import { getDb } from "@/lib/db/client";
import { json } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = withOrg(async ({ ctx, param }) => json(await retryJob(ctx, param("runId"), await getDb())), { permission: "jobs.run" });
