import { getDb } from "@/lib/db/client";
import { json, readJson } from "@/lib/http/respond";
import { withUser } from "@/lib/http/with-org";
import { createOrganization, listMyOrganizations } from "@/lib/org";

// GET /api/v1/orgs - organisations I belong to, with my role
export const GET = withUser(async ({ user }) => json({ orgs: await listMyOrganizations(await getDb(), user.id) }));

// POST /api/v1/orgs - create an organisation; I become its owner
export const POST = withUser(async ({ req, user }) => {
  const org = await createOrganization(await getDb(), user, await readJson(req));
  return json({ org }, 201);
});
