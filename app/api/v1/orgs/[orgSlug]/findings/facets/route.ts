// GET /api/v1/orgs/:orgSlug/findings/facets — detectors, providers and members for filters and assignment
import { getDb } from "@/lib/db/client";
import { findingFacets, listMembers } from "@/lib/dashboard/findings";
import { json } from "@/lib/http/respond";
import { withOrg } from "@/lib/http/with-org";

export const GET = withOrg(
  async ({ ctx }) => {
    const db = await getDb();
    const [facets, members] = await Promise.all([findingFacets(db, ctx), listMembers(db, ctx)]);
    return json({ ...facets, members: members.map((m) => ({ userId: m.userId, email: m.email, name: m.name })) });
  },
  { permission: "findings.read" },
);
