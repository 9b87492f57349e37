import { getDb } from "@/lib/db/client";
import { json, readJson } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";
import { addIdentityItems, listIdentity, parseKind } from "@/lib/identity";

// GET /api/v1/orgs/:orgSlug/identity/:kind - items of one kind
export const GET = withOrg(async ({ ctx, param }) => json({ items: await listIdentity(await getDb(), ctx, parseKind(param("kind"))) }), {
  permission: "identity.read",
});

// POST /api/v1/orgs/:orgSlug/identity/:kind - add { value, category?, notes? } or { items: [...] } (all or nothing)
export const POST = withOrg(
  async ({ req, ctx, param }) => {
    const kind = parseKind(param("kind"));
    const items = await addIdentityItems(await getDb(), ctx, kind, await readJson(req));
    return json({ items }, 201);
  },
  { permission: "identity.write" },
);
