// GET  /api/v1/orgs/:orgSlug/jobs?accountId=&status=&functionId=&limit=&before=  runs, newest first
// POST /api/v1/orgs/:orgSlug/jobs  { type: "discovery" } | { type: "account-scan", accountId }
import { z } from "zod";
import { requestAccountScan, requestDiscovery } from "@/jobs/client";
import { getDb } from "@/lib/db/client";
import { invalidInput } from "@/lib/errors";
import { listJobRuns } from "@/lib/jobs/runs";
import { json, readJson } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = withOrg(
  async ({ req, ctx }) => {
    const query = Object.fromEntries(new URL(req.url).searchParams);
    return json({ runs: await listJobRuns(await getDb(), ctx, query) });
  },
  { permission: "jobs.read" },
);

const ZRequest = z.discriminatedUnion("type", [
  z.object({ type: z.literal("discovery") }),
  z.object({ type: z.literal("account-scan"), accountId: z.string().min(1).max(64) }),
]);

export const POST = withOrg(
  async ({ req, ctx }) => {
    const body = ZRequest.safeParse(await readJson(req));
    if (!body.success) throw invalidInput(body.error.issues);
    const db = await getDb();
    if (body.data.type === "discovery") return json(await requestDiscovery(ctx, db), 202);
    return json(await requestAccountScan(ctx, body.data.accountId, db), 202);
  },
  { permission: "jobs.run" },
);
