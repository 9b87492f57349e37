// Finding workflows: status changes with a reason, assignment, comments, in bulk. Every change is
// org-scoped (an id from another organisation is "not found" and nothing changes) and audited in
// the same transaction.
import { z } from "zod";
import type { OrgContext } from "@/lib/auth/permissions";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { auditRow, parseInput } from "@/lib/dashboard/audit";
import { assertCan } from "@/lib/dashboard/authz";
import { recomputeAll, type WorkflowDeps } from "@/lib/dashboard/risk-hook";
import { FINDING_STATUSES } from "@/lib/dashboard/tiers";

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "not a valid id");
const ids = z.array(id).min(1, "select at least one finding").max(500, "at most 500 at a time");

/** Statuses that close a finding without it being fixed need a reason on the record. */
export const REASON_REQUIRED: ReadonlySet<string> = new Set(["false_positive", "accepted_risk"]);

export const SetFindingStatusInput = z
  .object({
    findingIds: ids,
    status: z.enum(FINDING_STATUSES),
    reason: z.string().trim().max(2000).optional(),
  })
  .superRefine((v, ctx) => {
    if (REASON_REQUIRED.has(v.status) && (!v.reason || v.reason.length < 3)) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Give a reason (at least 3 characters) for this status" });
    }
  });
export type SetFindingStatusInput = z.infer<typeof SetFindingStatusInput>;

export interface BulkResult {
  updated: number;
  unchanged: number;
}

export async function setFindingStatus(db: Db, ctx: OrgContext, input: unknown, deps: WorkflowDeps = {}): Promise<BulkResult> {
  assertCan(ctx, "findings.triage");
  const v = parseInput(SetFindingStatusInput, input);
  const wanted = [...new Set(v.findingIds)];
  const now = new Date();
  const result = await db.$transaction(async (tx) => {
    const rows = await tx.finding.findMany({
      where: { orgId: ctx.orgId, id: { in: wanted } },
      select: { id: true, status: true, accountId: true },
    });
    if (rows.length !== wanted.length) throw notFound("Finding not found");
    const changing = rows.filter((r) => r.status !== v.status);
    if (changing.length) {
      const n = await tx.finding.updateMany({
        where: { orgId: ctx.orgId, id: { in: changing.map((r) => r.id) } },
        data: { status: v.status, statusReason: v.reason ?? null, resolvedAt: v.status === "open" ? null : now },
      });
      if (n.count !== changing.length) throw new AppError("CONFLICT", "Findings changed meanwhile; try again");
      await tx.auditLog.createMany({
        data: changing.map((r) =>
          auditRow(ctx, "finding.status", "finding", r.id, { from: r.status, to: v.status, reason: v.reason ?? null }),
        ),
      });
    }
    return { changing, unchanged: rows.length - changing.length };
  });
  await recomputeAll(db, ctx, result.changing.map((r) => r.accountId), deps);
  return { updated: result.changing.length, unchanged: result.unchanged };
}

export const AssignFindingsInput = z.object({
  findingIds: ids,
  // null unassigns
  assigneeId: id.nullable(),
});

export async function assignFindings(db: Db, ctx: OrgContext, input: unknown): Promise<BulkResult> {
  assertCan(ctx, "findings.triage");
  const v = parseInput(AssignFindingsInput, input);
  const wanted = [...new Set(v.findingIds)];
  return db.$transaction(async (tx) => {
    let assigneeEmail: string | null = null;
    if (v.assigneeId) {
      const m = await tx.membership.findFirst({
        where: { orgId: ctx.orgId, userId: v.assigneeId },
        select: { user: { select: { email: true } } },
      });
      if (!m) {
        throw new AppError("INVALID_INPUT", "The assignee must be a member of this organisation", {
          issues: [{ path: "assigneeId", message: "not a member of this organisation" }],
        });
      }
      assigneeEmail = m.user.email;
    }
    const rows = await tx.finding.findMany({
      where: { orgId: ctx.orgId, id: { in: wanted } },
      select: { id: true, assigneeId: true },
    });
    if (rows.length !== wanted.length) throw notFound("Finding not found");
    const changing = rows.filter((r) => r.assigneeId !== v.assigneeId);
    if (changing.length) {
      await tx.finding.updateMany({
        where: { orgId: ctx.orgId, id: { in: changing.map((r) => r.id) } },
        data: { assigneeId: v.assigneeId },
      });
      await tx.auditLog.createMany({
        data: changing.map((r) =>
          auditRow(ctx, "finding.assign", "finding", r.id, { from: r.assigneeId, to: v.assigneeId, assignee: assigneeEmail }),
        ),
      });
    }
    return { updated: changing.length, unchanged: rows.length - changing.length };
  });
}

export const COMMENT_TARGETS = ["finding", "account", "case"] as const;

export const AddCommentInput = z.object({
  targetType: z.enum(COMMENT_TARGETS),
  targetId: id,
  body: z.string().trim().min(1, "Write something").max(5000, "At most 5,000 characters"),
});

export interface CommentView {
  id: string;
  targetType: string;
  targetId: string;
  body: string;
  authorId: string;
  authorEmail: string;
  createdAt: Date;
}

export async function addComment(db: Db, ctx: OrgContext, input: unknown): Promise<CommentView> {
  assertCan(ctx, "comments.write");
  const v = parseInput(AddCommentInput, input);
  return db.$transaction(async (tx) => {
    await requireTarget(tx, ctx.orgId, v.targetType, v.targetId);
    const c = await tx.comment.create({
      data: { orgId: ctx.orgId, targetType: v.targetType, targetId: v.targetId, authorId: ctx.userId, body: v.body },
    });
    await tx.auditLog.create({
      data: auditRow(ctx, "comment.add", v.targetType === "case" ? "offboarding_case" : v.targetType, v.targetId, {
        commentId: c.id,
      }),
    });
    return { ...c, authorEmail: ctx.userEmail };
  });
}

type CommentTarget = (typeof COMMENT_TARGETS)[number];

async function requireTarget(tx: Pick<Db, "finding" | "hubAccount" | "offboardingCase">, orgId: string, type: CommentTarget, targetId: string) {
  const where = { id: targetId, orgId };
  const exists =
    type === "finding"
      ? await tx.finding.findFirst({ where, select: { id: true } })
      : type === "account"
        ? await tx.hubAccount.findFirst({ where, select: { id: true } })
        : await tx.offboardingCase.findFirst({ where, select: { id: true } });
  if (!exists) throw notFound(`${type === "case" ? "Case" : type === "account" ? "Account" : "Finding"} not found`);
}

export const ListCommentsInput = z.object({ targetType: z.enum(COMMENT_TARGETS), targetId: id });

export async function listComments(db: Db, ctx: Pick<OrgContext, "orgId">, input: unknown): Promise<CommentView[]> {
  const { targetType, targetId } = parseInput(ListCommentsInput, input);
  await requireTarget(db, ctx.orgId, targetType, targetId);
  const rows = await db.comment.findMany({
    where: { orgId: ctx.orgId, targetType, targetId },
    orderBy: { createdAt: "asc" },
    take: 500,
  });
  const users = rows.length
    ? await db.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.authorId))] } }, select: { id: true, email: true } })
    : [];
  const em = new Map(users.map((u) => [u.id, u.email]));
  return rows.map((r) => ({ ...r, authorEmail: em.get(r.authorId) ?? "unknown" }));
}
