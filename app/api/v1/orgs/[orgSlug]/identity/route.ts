// GET /api/v1/orgs/:orgSlug/identity - every identity item of the organisation, all kinds
import { getDb } from "@/lib/db/client";
import { json } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";
import { listIdentity } from "@/lib/identity";

export const GET = withOrg(async ({ ctx }) => json({ items: await listIdentity(await getDb(), ctx) }), { permission: "identity.read" });
