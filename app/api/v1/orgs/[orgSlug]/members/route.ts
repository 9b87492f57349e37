// GET /api/v1/orgs/:orgSlug/members - members and their roles
import { getDb } from "@/lib/db/client";
import { json } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";
import { listMembers } from "@/lib/org";

export const GET = withOrg(async ({ ctx }) => json({ members: await listMembers(await getDb(), ctx) }), { permission: "members.read" });
