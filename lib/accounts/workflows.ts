// Account workflows: analyst triage (confirm as shadow / dismiss as not ours) and admin claim.
// Dismissal keeps status "dismissed" + dismissReason on the row, which discovery reads so a
// dismissed namespace is not re-queued. Claiming also registers the namespace as sanctioned
// identity, so discovery and scans keep treating it as inventory that stays monitored.
import { z } from "zod";
import type { OrgContext } from "@/lib/auth/permissions";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { auditRow, parseInput } from "@/lib/dashboard/audit";
import { assertCan } from "@/lib/dashboard/authz";
import { recomputeAll, type WorkflowDeps } from "@/lib/dashboard/risk-hook";

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "not a valid id");

/** Statuses an analyst may triage from; claimed or offboarding accounts belong to admins. */
export const TRIAGEABLE: ReadonlySet<string> = new Set(["candidate", "review", "likely", "confirmed", "dismissed"]);

export const TriageAccountsInput = z
  .object({
    accountIds: z.array(id).min(1, "select at least one account").max(500, "at most 500 at a time"),
    decision: z.enum(["confirm", "dismiss"]),
    reason: z.string().trim().max(2000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.decision === "dismiss" && (!v.reason || v.reason.length < 3)) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Say why this account is not ours (at least 3 characters)" });
    }
  });

export interface TriageResult {
  updated: number;
  unchanged: number;
}

export async function triageAccounts(db: Db, ctx: OrgContext, input: unknown, deps: WorkflowDeps = {}): Promise<TriageResult> {
  assertCan(ctx, "accounts.triage");
  const v = parseInput(TriageAccountsInput, input);
  const wanted = [...new Set(v.accountIds)];
  const to = v.decision === "confirm" ? "confirmed" : "dismissed";
  const res = await db.$transaction(async (tx) => {
    const rows = await tx.hubAccount.findMany({
      where: { orgId: ctx.orgId, id: { in: wanted } },
      select: { id: true, status: true, namespace: true, dismissReason: true },
    });
    if (rows.length !== wanted.length) throw notFound("Account not found");
    const blocked = rows.filter((r) => !TRIAGEABLE.has(r.status));
    if (blocked.length) {
      throw new AppError(
        "CONFLICT",
        `${blocked.map((b) => b.namespace).join(", ")} ${blocked.length === 1 ? "is" : "are"} already ${blocked[0]!.status}; ask an admin`,
      );
    }
    const reason = v.reason ?? null;
    const changing = rows.filter((r) => r.status !== to || (to === "dismissed" && r.dismissReason !== reason));
    if (changing.length) {
      const n = await tx.hubAccount.updateMany({
        where: { orgId: ctx.orgId, id: { in: changing.map((r) => r.id) }, status: { in: [...TRIAGEABLE] as never } },
        data: { status: to, dismissReason: to === "dismissed" ? reason : null },
      });
      if (n.count !== changing.length) throw new AppError("CONFLICT", "Accounts changed meanwhile; try again");
      await tx.auditLog.createMany({
        data: changing.map((r) =>
          auditRow(ctx, `account.${v.decision}`, "account", r.id, { from: r.status, to, reason, namespace: r.namespace }),
        ),
      });
    }
    return { changing, unchanged: rows.length - changing.length };
  });
  await recomputeAll(db, ctx, res.changing.map((r) => r.id), deps);
  return { updated: res.changing.length, unchanged: res.unchanged };
}

export const ClaimAccountInput = z.object({
  accountId: id,
  note: z.string().trim().max(2000).optional(),
});

export async function claimAccount(
  db: Db,
  ctx: OrgContext,
  input: unknown,
  deps: WorkflowDeps = {},
): Promise<{ accountId: string; status: "sanctioned"; identityItemId: string }> {
  assertCan(ctx, "accounts.claim");
  const v = parseInput(ClaimAccountInput, input);
  const res = await db.$transaction(async (tx) => {
    const a = await tx.hubAccount.findFirst({
      where: { orgId: ctx.orgId, id: v.accountId },
      select: { id: true, status: true, namespace: true },
    });
    if (!a) throw notFound("Account not found");
    if (a.status === "sanctioned") throw new AppError("CONFLICT", `${a.namespace} is already claimed`);
    if (a.status === "offboarding" || a.status === "offboarded") {
      throw new AppError("CONFLICT", `${a.namespace} is ${a.status}; cancel its offboarding case first`);
    }
    const n = await tx.hubAccount.updateMany({
      where: { orgId: ctx.orgId, id: a.id, status: a.status },
      data: { status: "sanctioned", claimedAt: new Date(), dismissReason: null },
    });
    if (n.count !== 1) throw new AppError("CONFLICT", "The account changed meanwhile; try again");
    const normalized = a.namespace.trim().toLowerCase();
    const item = await tx.identityItem.upsert({
      where: { orgId_kind_normalized: { orgId: ctx.orgId, kind: "sanctioned_namespace", normalized } },
      create: {
        orgId: ctx.orgId,
        kind: "sanctioned_namespace",
        value: a.namespace,
        normalized,
        notes: v.note ?? "Claimed from the accounts dashboard",
        createdById: ctx.userId,
      },
      update: {},
      select: { id: true },
    });
    await tx.auditLog.createMany({
      data: [
        auditRow(ctx, "account.claim", "account", a.id, { from: a.status, to: "sanctioned", note: v.note ?? null, namespace: a.namespace }),
        auditRow(ctx, "identity.add", "identity", item.id, { kind: "sanctioned_namespace", value: a.namespace, via: "claim" }),
      ],
    });
    return { accountId: a.id, identityItemId: item.id };
  });
  await recomputeAll(db, ctx, [res.accountId], deps);
  return { ...res, status: "sanctioned" };
}
