// DELETE /api/v1/orgs/:orgSlug/membership - leave the organisation (the last owner cannot)
import { getDb } from "@/lib/db/client";
import { withOrg } from "@/lib/http/with-org";
import { leaveOrganization } from "@/lib/org";

export const DELETE = withOrg(
  async ({ ctx }) => {
    await leaveOrganization(await getDb(), ctx);
    return new Response(null, { status: 204 });
  },
  { permission: "org.read" },
);
