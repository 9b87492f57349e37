// Members and roles. Rules (checked here, inside the transaction that changes them):
//  - only an owner may grant, change or remove the owner role;
//  - an organisation always keeps at least one owner (the org row is locked while counting, so two
//    concurrent demotions cannot both succeed).
import { z } from "zod";
import type { PrismaClient, Prisma } from "@/lib/db/generated/client";
import { ROLES, type OrgContext, type Role } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit";
import { scoped } from "@/lib/db/scope";
import { AppError, invalidInput } from "@/lib/errors";

export const ZRole = z.enum(ROLES, { message: `Role must be one of: ${ROLES.join(", ")}` });
export const ZChangeRoleInput = z.object({ role: ZRole });

export interface MemberRow {
  id: string;
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: Date;
}

export async function listMembers(db: PrismaClient, ctx: Pick<OrgContext, "orgId">): Promise<MemberRow[]> {
  const rows = await db.membership.findMany({
    where: scoped(ctx),
    orderBy: { createdAt: "asc" },
    select: { id: true, userId: true, role: true, createdAt: true, user: { select: { email: true, name: true } } },
  });
  return rows.map((r) => ({ id: r.id, userId: r.userId, email: r.user.email, name: r.user.name, role: r.role as Role, createdAt: r.createdAt }));
}

async function lockOrg(tx: Prisma.TransactionClient, orgId: string): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM "Organization" WHERE "id" = ${orgId} FOR UPDATE`;
}

async function assertOwnerRemains(tx: Prisma.TransactionClient, orgId: string): Promise<void> {
  const owners = await tx.membership.count({ where: { orgId, role: "owner" } });
  if (owners < 1) {
    throw new AppError("CONFLICT", "An organisation must keep at least one owner. Make someone else owner first.");
  }
}

export async function changeMemberRole(
  db: PrismaClient,
  ctx: OrgContext,
  memberId: string,
  raw: unknown,
): Promise<MemberRow> {
  const parsed = ZChangeRoleInput.safeParse(raw);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const role = parsed.data.role;
  return db.$transaction(async (tx) => {
    await lockOrg(tx, ctx.orgId);
    const member = await tx.membership.findFirst({
      where: scoped(ctx, { id: memberId }),
      select: { id: true, role: true, userId: true, user: { select: { email: true } } },
    });
    if (!member) throw new AppError("NOT_FOUND", "Member not found");
    if ((member.role === "owner" || role === "owner") && ctx.role !== "owner") {
      throw new AppError("FORBIDDEN", "Only an owner can grant or change the owner role");
    }
    const updated = await tx.membership.updateMany({ where: scoped(ctx, { id: memberId }), data: { role } });
    if (updated.count !== 1) throw new AppError("NOT_FOUND", "Member not found");
    await assertOwnerRemains(tx, ctx.orgId);
    if (member.role !== role) {
      await recordAudit(tx, ctx, {
        action: "member.role_change",
        targetType: "member",
        targetId: member.id,
        details: { email: member.user.email, from: member.role, to: role },
      });
    }
    const row = await tx.membership.findFirstOrThrow({
      where: scoped(ctx, { id: memberId }),
      select: { id: true, userId: true, role: true, createdAt: true, user: { select: { email: true, name: true } } },
    });
    return { id: row.id, userId: row.userId, email: row.user.email, name: row.user.name, role: row.role as Role, createdAt: row.createdAt };
  });
}

export async function removeMember(db: PrismaClient, ctx: OrgContext, memberId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    await lockOrg(tx, ctx.orgId);
    const member = await tx.membership.findFirst({
      where: scoped(ctx, { id: memberId }),
      select: { id: true, role: true, userId: true, user: { select: { email: true } } },
    });
    if (!member) throw new AppError("NOT_FOUND", "Member not found");
    if (member.role === "owner" && ctx.role !== "owner") {
      throw new AppError("FORBIDDEN", "Only an owner can remove an owner");
    }
    const deleted = await tx.membership.deleteMany({ where: scoped(ctx, { id: memberId }) });
    if (deleted.count !== 1) throw new AppError("NOT_FOUND", "Member not found");
    await assertOwnerRemains(tx, ctx.orgId);
    await recordAudit(tx, ctx, {
      action: member.userId === ctx.userId ? "member.leave" : "member.remove",
      targetType: "member",
      targetId: member.id,
      details: { email: member.user.email, role: member.role },
    });
  });
}

/** The signed-in member leaves the organisation (any role; the last owner cannot). */
export async function leaveOrganization(db: PrismaClient, ctx: OrgContext): Promise<void> {
  const own = await db.membership.findFirst({ where: scoped(ctx, { userId: ctx.userId }), select: { id: true } });
  if (!own) throw new AppError("NOT_FOUND", "You are not a member of this organisation");
  await removeMember(db, ctx, own.id);
}
