// DELETE /api/v1/orgs/:orgSlug/invites/:id - revoke a pending invite
import { getDb } from "@/lib/db/client";
import { withOrg } from "@/lib/http/with-org";
import { revokeInvite } from "@/lib/org";

export const DELETE = withOrg(
  async ({ ctx, param }) => {
    await revokeInvite(await getDb(), ctx, param("id"));
    return new Response(null, { status: 204 });
  },
  { permission: "members.manage" },
);
