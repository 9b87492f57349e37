// GET /api/v1/orgs/:orgSlug/settings/liveness — whether found secrets are checked for liveness, and how
// PUT  { "enabled": boolean } — admins and owners turn verification on or off (audited)
import { getDb } from "@/lib/db/client";
import { json, readJson } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";
import { getLivenessSettings, updateLivenessSettings, verifierCatalogue } from "@/lib/liveness";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = withOrg(async ({ ctx }) => json({ ...(await getLivenessSettings(await getDb(), ctx)), verifiers: verifierCatalogue() }), {
  permission: "org.read",
});

export const PUT = withOrg(async ({ req, ctx }) => json(await updateLivenessSettings(await getDb(), ctx, await readJson(req))), { permission: "org.update" });
