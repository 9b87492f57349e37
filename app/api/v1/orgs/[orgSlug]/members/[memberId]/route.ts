import { getDb } from "@/lib/db/client";
import { json, readJson } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";
import { changeMemberRole, removeMember } from "@/lib/org";

// PATCH /api/v1/orgs/:orgSlug/members/:memberId - { role }
export const PATCH = withOrg(
  async ({ req, ctx, param }) => json({ member: await changeMemberRole(await getDb(), ctx, param("memberId"), await readJson(req)) }),
  { permission: "members.manage" },
);

// DELETE /api/v1/orgs/:orgSlug/members/:memberId - remove a member (the last owner cannot be removed)
export const DELETE = withOrg(
  async ({ ctx, param }) => {
    await removeMember(await getDb(), ctx, param("memberId"));
    return new Response(null, { status: 204 });
  },
  { permission: "members.manage" },
);
