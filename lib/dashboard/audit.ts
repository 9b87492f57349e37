// Audit rows written inside the same transaction as the change they describe, so a workflow step
// and its audit entry commit or roll back together. Details never include secret values.
import type { OrgContext } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/db/generated/client";
import { invalidInput } from "@/lib/errors";
import type { z } from "zod";

export function auditRow(
  ctx: OrgContext,
  action: string,
  targetType: string,
  targetId: string | null,
  details: Record<string, unknown> = {},
): Prisma.AuditLogCreateManyInput {
  return {
    orgId: ctx.orgId,
    actorId: ctx.userId,
    actorEmail: ctx.userEmail,
    action,
    targetType,
    targetId,
    details: JSON.parse(JSON.stringify(details)) as Prisma.InputJsonValue,
  };
}

/** Validates workflow input (lib functions may be reached from routes, actions or jobs). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw invalidInput(r.error.issues);
  return r.data;
}
