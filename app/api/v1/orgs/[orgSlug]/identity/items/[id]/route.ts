import { getDb } from "@/lib/db/client";
import { json, readJson } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";
import { deleteIdentityItem, updateIdentityNotes } from "@/lib/identity";

// PATCH /api/v1/orgs/:orgSlug/identity/items/:id - change notes
export const PATCH = withOrg(
  async ({ req, ctx, param }) => json({ item: await updateIdentityNotes(await getDb(), ctx, param("id"), await readJson(req)) }),
  { permission: "identity.write" },
);

// DELETE /api/v1/orgs/:orgSlug/identity/items/:id
export const DELETE = withOrg(
  async ({ ctx, param }) => {
    await deleteIdentityItem(await getDb(), ctx, param("id"));
    return new Response(null, { status: 204 });
  },
  { permission: "identity.write" },
);
