// The audit trail: who changed what, when. Writes happen inside the caller's transaction so a
// change and its audit row commit together. Details are scrubbed of secret-looking keys.
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import type { OrgContext } from "@/lib/auth/permissions";
import { requireOrgId, scoped } from "@/lib/db/scope";

export type DbTx = Prisma.TransactionClient | PrismaClient;

export interface AuditEntry {
  /** resource.verb, e.g. "identity.add", "member.role_change", "invite.create" */
  action: string;
  targetType: string;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

const SECRET_KEY = /(password|secret|token|hash|credential|api[_-]?key|authorization)/i;

export function scrubDetails(value: unknown, depth = 0): unknown {
  if (depth > 6) return "[truncated]";
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => scrubDetails(v, depth + 1));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_KEY.test(k) ? "[redacted]" : scrubDetails(v, depth + 1);
    }
    return out;
  }
  if (typeof value === "string" && value.length > 500) return value.slice(0, 500) + "…";
  if (typeof value === "bigint") return Number(value);
  return value;
}

export async function recordAudit(
  tx: DbTx,
  ctx: Pick<OrgContext, "orgId" | "userId" | "userEmail">,
  entry: AuditEntry,
): Promise<void> {
  await tx.auditLog.create({
    data: {
      orgId: requireOrgId(ctx),
      actorId: ctx.userId || null,
      actorEmail: ctx.userEmail || null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      details: scrubDetails(entry.details ?? {}) as Prisma.InputJsonValue,
    },
  });
}

export interface AuditRow {
  id: string;
  action: string;
  targetType: string;
  targetId: string | null;
  actorEmail: string | null;
  details: unknown;
  createdAt: Date;
}

export async function listAudit(
  db: PrismaClient,
  ctx: Pick<OrgContext, "orgId">,
  opts: { limit?: number; before?: Date; targetType?: string } = {},
): Promise<AuditRow[]> {
  const limit = Math.min(Math.max(opts.limit ?? 100, 1), 500);
  return db.auditLog.findMany({
    where: scoped(ctx, {
      ...(opts.before ? { createdAt: { lt: opts.before } } : {}),
      ...(opts.targetType ? { targetType: opts.targetType } : {}),
    }),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, action: true, targetType: true, targetId: true, actorEmail: true, details: true, createdAt: true },
  });
}
