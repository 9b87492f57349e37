// Page-level authorisation (pages check auth themselves; layouts are not trusted to do it).
// Not signed in → sign-in page; not a member → 404; member without permission → friendly page.
import { notFound, redirect } from "next/navigation";
import { requireOrg } from "@/lib/auth/guards";
import type { OrgContext, Permission } from "@/lib/auth/permissions";
import { getSessionUser, type SessionUser } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";

export type PageGuard = { ok: true; ctx: OrgContext } | { ok: false; reason: "forbidden" };

export async function guardOrgPage(orgSlug: string, permission: Permission, path: string): Promise<PageGuard> {
  let outcome: PageGuard | "signin" | "notfound";
  try {
    outcome = { ok: true, ctx: await requireOrg(orgSlug, permission) };
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "UNAUTHENTICATED") outcome = "signin";
    else if (e.code === "FORBIDDEN") outcome = { ok: false, reason: "forbidden" };
    else if (e.code === "NOT_FOUND") outcome = "notfound";
    else throw e;
  }
  if (outcome === "signin") redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  if (outcome === "notfound") notFound();
  return outcome;
}

export async function guardUserPage(path: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  return user;
}
