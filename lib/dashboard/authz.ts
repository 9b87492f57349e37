// Defence in depth: route guards already check the permission, but every workflow re-checks the
// caller's role so that a lib call reached by any other path (server action, job, CLI) fails closed.
import { AppError } from "@/lib/errors";
import { can, type OrgContext, type Permission } from "@/lib/auth/permissions";

export function assertCan(ctx: OrgContext, permission: Permission): void {
  if (!can(ctx.role, permission)) {
    throw new AppError("FORBIDDEN", `Your role (${ctx.role}) cannot do this (${permission}).`);
  }
}
