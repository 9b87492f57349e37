// SECURITY-CRITICAL: invitations by link. The link carries a random 256-bit token; only its
// SHA-256 is stored, so a database reader cannot join. Single use (consumed with a conditional
// update), expiring, revocable. The inviter picks the role; only owners can invite owners.
import crypto from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { OrgContext, Role } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit";
import { scoped } from "@/lib/db/scope";
import { AppError, invalidInput } from "@/lib/errors";
import { ZRole } from "./members";

export const INVITE_DEFAULT_DAYS = 7;

export const ZCreateInviteInput = z.object({
  role: ZRole,
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254)
    .pipe(z.email({ message: "Enter a valid email address" }))
    .optional()
    .or(z.literal("").transform(() => undefined)),
  expiresInDays: z.coerce.number().int().min(1, "At least 1 day").max(30, "At most 30 days").default(INVITE_DEFAULT_DAYS),
});

export function hashInviteToken(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex");
}

export interface InviteRow {
  id: string;
  role: Role;
  email: string | null;
  expiresAt: Date;
  createdAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  state: "pending" | "used" | "revoked" | "expired";
}

function inviteState(i: { usedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now = new Date()): InviteRow["state"] {
  if (i.usedAt) return "used";
  if (i.revokedAt) return "revoked";
  if (i.expiresAt <= now) return "expired";
  return "pending";
}

export async function createInvite(
  db: PrismaClient,
  ctx: OrgContext,
  raw: unknown,
): Promise<{ invite: InviteRow; token: string }> {
  const parsed = ZCreateInviteInput.safeParse(raw);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { role, email, expiresInDays } = parsed.data;
  if (role === "owner" && ctx.role !== "owner") {
    throw new AppError("FORBIDDEN", "Only an owner can invite another owner", {
      issues: [{ path: "role", message: "Only an owner can invite another owner" }],
    });
  }
  const token = crypto.randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + expiresInDays * 86_400_000);
  const invite = await db.$transaction(async (tx) => {
    const row = await tx.invite.create({
      data: { orgId: ctx.orgId, tokenHash: hashInviteToken(token), role, email: email ?? null, createdById: ctx.userId, expiresAt },
      select: { id: true, role: true, email: true, expiresAt: true, createdAt: true, usedAt: true, revokedAt: true },
    });
    await recordAudit(tx, ctx, {
      action: "invite.create",
      targetType: "invite",
      targetId: row.id,
      details: { role, email: email ?? null, expiresAt: expiresAt.toISOString() },
    });
    return row;
  });
  return { invite: { ...invite, role: invite.role as Role, state: "pending" }, token };
}

export async function listInvites(db: PrismaClient, ctx: Pick<OrgContext, "orgId">): Promise<InviteRow[]> {
  const rows = await db.invite.findMany({
    where: scoped(ctx),
    orderBy: { createdAt: "desc" },
    take: 200,
    select: { id: true, role: true, email: true, expiresAt: true, createdAt: true, usedAt: true, revokedAt: true },
  });
  return rows.map((r) => ({ ...r, role: r.role as Role, state: inviteState(r) }));
}

export async function revokeInvite(db: PrismaClient, ctx: OrgContext, inviteId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const invite = await tx.invite.findFirst({ where: scoped(ctx, { id: inviteId }), select: { id: true, role: true, email: true, usedAt: true } });
    if (!invite) throw new AppError("NOT_FOUND", "Invite not found");
    if (invite.role === "owner" && ctx.role !== "owner") throw new AppError("FORBIDDEN", "Only an owner can revoke an owner invite");
    if (invite.usedAt) throw new AppError("CONFLICT", "This invite has already been used");
    const r = await tx.invite.updateMany({
      where: scoped(ctx, { id: inviteId, usedAt: null, revokedAt: null }),
      data: { revokedAt: new Date() },
    });
    if (r.count === 1) {
      await recordAudit(tx, ctx, { action: "invite.revoke", targetType: "invite", targetId: invite.id, details: { role: invite.role, email: invite.email } });
    }
  });
}

export interface InvitePreview {
  orgName: string;
  orgSlug: string;
  role: Role;
  email: string | null;
  state: InviteRow["state"];
  expiresAt: Date;
}

const TOKEN_RE = /^[A-Za-z0-9_-]{20,128}$/;

/** What the accept page shows before the user joins. Unknown tokens → null. */
export async function getInvitePreview(db: PrismaClient, token: string): Promise<InvitePreview | null> {
  if (!TOKEN_RE.test(token)) return null;
  const i = await db.invite.findUnique({
    where: { tokenHash: hashInviteToken(token) },
    select: { role: true, email: true, expiresAt: true, usedAt: true, revokedAt: true, org: { select: { name: true, slug: true } } },
  });
  if (!i) return null;
  return { orgName: i.org.name, orgSlug: i.org.slug, role: i.role as Role, email: i.email, state: inviteState(i), expiresAt: i.expiresAt };
}

export async function acceptInvite(
  db: PrismaClient,
  user: { id: string; email: string },
  token: string,
): Promise<{ orgSlug: string; role: Role }> {
  if (typeof token !== "string" || !TOKEN_RE.test(token)) throw new AppError("NOT_FOUND", "This invite link is not valid");
  const tokenHash = hashInviteToken(token);
  return db.$transaction(async (tx) => {
    const invite = await tx.invite.findUnique({
      where: { tokenHash },
      select: { id: true, orgId: true, role: true, email: true, expiresAt: true, usedAt: true, revokedAt: true, org: { select: { slug: true } } },
    });
    if (!invite) throw new AppError("NOT_FOUND", "This invite link is not valid");
    const state = inviteState(invite);
    if (state !== "pending") throw new AppError("CONFLICT", `This invite has ${state === "used" ? "already been used" : state === "revoked" ? "been revoked" : "expired"}`);
    if (invite.email && invite.email !== user.email.toLowerCase()) {
      throw new AppError("FORBIDDEN", "This invite was sent to a different email address");
    }
    const existing = await tx.membership.findFirst({ where: { orgId: invite.orgId, userId: user.id }, select: { id: true } });
    if (existing) throw new AppError("CONFLICT", "You are already a member of this organisation");
    // Conditional consume: a concurrent accept of the same link gets count 0 and fails.
    const consumed = await tx.invite.updateMany({
      where: { id: invite.id, orgId: invite.orgId, usedAt: null, revokedAt: null },
      data: { usedAt: new Date(), usedById: user.id },
    });
    if (consumed.count !== 1) throw new AppError("CONFLICT", "This invite has already been used");
    const membership = await tx.membership.create({ data: { orgId: invite.orgId, userId: user.id, role: invite.role }, select: { id: true } });
    await recordAudit(tx, { orgId: invite.orgId, userId: user.id, userEmail: user.email }, {
      action: "member.join",
      targetType: "member",
      targetId: membership.id,
      details: { email: user.email, role: invite.role, inviteId: invite.id },
    });
    return { orgSlug: invite.org.slug, role: invite.role as Role };
  });
}
