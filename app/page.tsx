import { redirect } from "next/navigation";
import { getSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listMyOrganizations } from "@/lib/org";

// Entry point: signed-out → sign in; no organisation yet → create one; else the first organisation.
export default async function Home() {
  const user = await getSessionUser();
  if (!user) redirect("/signin");
  const orgs = await listMyOrganizations(await getDb(), user.id);
  redirect(orgs[0] ? `/orgs/${orgs[0].slug}` : "/orgs/new");
}
