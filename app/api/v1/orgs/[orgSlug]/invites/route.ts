import { getDb } from "@/lib/db/client";
import { json, readJson } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";
import { createInvite, listInvites } from "@/lib/org";

// GET /api/v1/orgs/:orgSlug/invites - invites with their state (tokens are never returned again)
export const GET = withOrg(async ({ ctx }) => json({ invites: await listInvites(await getDb(), ctx) }), { permission: "members.read" });

// POST /api/v1/orgs/:orgSlug/invites - { role, email?, expiresInDays? } → the invite link, shown once
export const POST = withOrg(
  async ({ req, ctx }) => {
    const { invite, token } = await createInvite(await getDb(), ctx, await readJson(req));
    return json({ invite, token, path: `/invite/${token}` }, 201);
  },
  { permission: "members.manage" },
);
