// SECURITY-CRITICAL: the one place that decides who may do what in which organisation.
// Every page, route handler (via lib/http withOrg) and server action calls requireOrg().
// Order matters and fails closed:
//   1. session → user (absent → UNAUTHENTICATED)
//   2. organisation resolved *through the user's membership* (not a member or no such org → NOT_FOUND,
//      so outsiders cannot tell whether an organisation exists)
//   3. role → permission (member without the permission → FORBIDDEN)
import type { PrismaClient } from "@/lib/db/generated/client";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, type OrgContext, type Permission, type Role } from "./permissions";
import { getSessionUser, type SessionUser } from "./session";

const SLUG_RE = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

export async function resolveOrgContext(
  db: PrismaClient,
  user: SessionUser,
  orgSlug: string,
  permission: Permission,
): Promise<OrgContext> {
  if (typeof orgSlug !== "string" || !SLUG_RE.test(orgSlug)) throw new AppError("NOT_FOUND", "Organisation not found");
  const membership = await db.membership.findFirst({
    where: { userId: user.id, org: { slug: orgSlug } },
    select: { role: true, org: { select: { id: true, slug: true } } },
  });
  if (!membership) throw new AppError("NOT_FOUND", "Organisation not found");
  const ctx: OrgContext = {
    orgId: membership.org.id,
    orgSlug: membership.org.slug,
    userId: user.id,
    userEmail: user.email,
    role: membership.role as Role,
  };
  assertCan(ctx, permission);
  return ctx;
}

export function assertCan(ctx: Pick<OrgContext, "role">, permission: Permission): void {
  if (!can(ctx.role, permission)) {
    throw new AppError("FORBIDDEN", "Your role in this organisation does not allow this");
  }
}

export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue");
  return user;
}

/** Session + membership + permission → OrgContext. Use in pages, route handlers and server actions. */
export async function requireOrg(orgSlug: string, permission: Permission): Promise<OrgContext> {
  const user = await requireUser();
  return resolveOrgContext(await getDb(), user, orgSlug, permission);
}

/** Server actions are public endpoints: each one starts with this call. */
export const authorizeAction = requireOrg;
