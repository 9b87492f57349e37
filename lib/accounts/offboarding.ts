// Offboarding a rogue account: a case with an owner, a due date and a checklist —
//   revoke:<findingId>  each open finding's secret revoked (ticking it marks the finding revoked)
//   contact_owner       the account's owner contacted
//   images_removed      images deleted or transferred to the company organisation
//   rescan_clean        a rescan requested after the fixes confirms the images are gone or clean
// The last item cannot be ticked by hand: only verifyCaseRescan sets it, from scan results.
// Every step is audited (targetType "offboarding_case") in the same transaction as the change.
import { z } from "zod";
import type { OrgContext } from "@/lib/auth/permissions";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError, notFound } from "@/lib/errors";
import { parseChecklist, type ChecklistItemView } from "@/lib/dashboard/accounts";
import { auditRow, parseInput } from "@/lib/dashboard/audit";
import { assertCan } from "@/lib/dashboard/authz";
import { recomputeAll, type WorkflowDeps } from "@/lib/dashboard/risk-hook";

type Tx = Prisma.TransactionClient;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "not a valid id");
const ACTIVE = ["open", "in_progress"];
export const RESCAN_KEY = "rescan_clean";

export const OpenCaseInput = z.object({
  accountId: id,
  ownerId: id.nullable().optional(),
  dueDate: z.coerce.date().nullable().optional(),
  note: z.string().trim().max(2000).optional(),
});

export interface CaseResult {
  id: string;
  accountId: string;
  status: string;
  checklist: ChecklistItemView[];
}

async function requireMember(tx: Tx, orgId: string, userId: string, field: string): Promise<void> {
  const m = await tx.membership.findFirst({ where: { orgId, userId }, select: { id: true } });
  if (!m) {
    throw new AppError("INVALID_INPUT", "The case owner must be a member of this organisation", {
      issues: [{ path: field, message: "not a member of this organisation" }],
    });
  }
}

export async function openOffboardingCase(db: Db, ctx: OrgContext, input: unknown): Promise<CaseResult> {
  assertCan(ctx, "accounts.offboard");
  const v = parseInput(OpenCaseInput, input);
  return db.$transaction(async (tx) => {
    const a = await tx.hubAccount.findFirst({
      where: { orgId: ctx.orgId, id: v.accountId },
      select: { id: true, status: true, namespace: true },
    });
    if (!a) throw notFound("Account not found");
    if (a.status === "offboarding" || a.status === "offboarded") {
      throw new AppError("CONFLICT", `${a.namespace} is already ${a.status}`);
    }
    const active = await tx.offboardingCase.findFirst({
      where: { orgId: ctx.orgId, accountId: a.id, status: { in: ACTIVE } },
      select: { id: true },
    });
    if (active) throw new AppError("CONFLICT", `${a.namespace} already has an open offboarding case`);
    if (v.ownerId) await requireMember(tx, ctx.orgId, v.ownerId, "ownerId");

    // first seen on the account or located there: a UNION of two index scans (an OR over the
    // locations relation would test every open finding of the organisation)
    const open = await tx.$queryRaw<Array<{ id: string; detector: string; masked: string }>>`
      SELECT f.id, f.detector, f.masked FROM "Finding" f
      WHERE f."orgId" = ${ctx.orgId} AND f.status = 'open' AND f.id IN (
        SELECT id FROM "Finding" WHERE "orgId" = ${ctx.orgId} AND "accountId" = ${a.id}
        UNION
        SELECT "findingId" FROM "FindingLocation" WHERE "orgId" = ${ctx.orgId} AND "accountId" = ${a.id})
      ORDER BY f.severity, f."firstSeenAt", f.id
      LIMIT 1000`;
    const checklist = [
      ...open.map((f) => ({
        key: `revoke:${f.id}`,
        label: `Revoke the ${f.detector} secret ${f.masked}`,
        findingId: f.id,
        done: false,
        doneAt: null,
        doneBy: null,
      })),
      { key: "contact_owner", label: "Contact the account's owner", done: false, doneAt: null, doneBy: null },
      {
        key: "images_removed",
        label: "Images deleted, or transferred to the company organisation",
        done: false,
        doneAt: null,
        doneBy: null,
      },
      { key: RESCAN_KEY, label: "Rescan confirms the images are gone or clean", done: false, doneAt: null, doneBy: null },
    ];
    const c = await tx.offboardingCase.create({
      data: {
        orgId: ctx.orgId,
        accountId: a.id,
        ownerId: v.ownerId ?? ctx.userId,
        dueDate: v.dueDate ?? null,
        status: "open",
        checklist,
        createdById: ctx.userId,
      },
    });
    const n = await tx.hubAccount.updateMany({
      where: { orgId: ctx.orgId, id: a.id, status: a.status },
      data: { status: "offboarding" },
    });
    if (n.count !== 1) throw new AppError("CONFLICT", "The account changed meanwhile; try again");
    await tx.auditLog.createMany({
      data: [
        auditRow(ctx, "case.open", "offboarding_case", c.id, {
          accountId: a.id,
          namespace: a.namespace,
          from: a.status,
          findings: open.length,
          note: v.note ?? null,
        }),
      ],
    });
    return { id: c.id, accountId: a.id, status: c.status, checklist: parseChecklist(c.checklist) };
  });
}

async function loadActiveCase(tx: Tx, ctx: OrgContext, caseId: string) {
  const c = await tx.offboardingCase.findFirst({ where: { id: caseId, orgId: ctx.orgId } });
  if (!c) throw notFound("Case not found");
  if (!ACTIVE.includes(c.status)) throw new AppError("CONFLICT", `This case is ${c.status}`);
  return c;
}

async function saveChecklist(tx: Tx, ctx: OrgContext, caseId: string, checklist: ChecklistItemView[], updatedAt: Date) {
  // optimistic concurrency on updatedAt: two people ticking at once cannot lose each other's tick
  const n = await tx.offboardingCase.updateMany({
    where: { id: caseId, orgId: ctx.orgId, updatedAt },
    data: { checklist: checklist as unknown as Prisma.InputJsonValue, status: "in_progress" },
  });
  if (n.count !== 1) throw new AppError("CONFLICT", "The case changed meanwhile; reload and try again");
}

export const CaseStepInput = z.object({
  caseId: id,
  key: z.string().regex(/^(revoke:[A-Za-z0-9_-]{1,64}|contact_owner|images_removed)$/, "unknown checklist step"),
  done: z.boolean(),
  note: z.string().trim().max(2000).optional(),
});

export async function setCaseStep(db: Db, ctx: OrgContext, input: unknown, deps: WorkflowDeps = {}): Promise<CaseResult> {
  assertCan(ctx, "accounts.offboard");
  const v = parseInput(CaseStepInput, input);
  const res = await db.$transaction(async (tx) => {
    const c = await loadActiveCase(tx, ctx, v.caseId);
    const list = parseChecklist(c.checklist);
    const item = list.find((i) => i.key === v.key);
    if (!item) throw notFound("Checklist step not found");
    const now = new Date().toISOString();
    item.done = v.done;
    item.doneAt = v.done ? now : null;
    item.doneBy = v.done ? ctx.userEmail : null;
    if (v.note) item.note = v.note;
    const revoked: string[] = [];
    if (v.done && item.findingId) {
      // ticking "revoked" is the analyst's statement that the credential no longer works
      const f = await tx.finding.findFirst({ where: { id: item.findingId, orgId: ctx.orgId }, select: { id: true, status: true } });
      if (f && f.status === "open") {
        await tx.finding.updateMany({
          where: { id: f.id, orgId: ctx.orgId, status: "open" },
          data: { status: "revoked", statusReason: v.note ?? "Revoked during offboarding", resolvedAt: new Date() },
        });
        await tx.auditLog.create({
          data: auditRow(ctx, "finding.status", "finding", f.id, {
            from: "open",
            to: "revoked",
            reason: v.note ?? "Revoked during offboarding",
            caseId: c.id,
          }),
        });
        revoked.push(f.id);
      }
    }
    await saveChecklist(tx, ctx, c.id, list, c.updatedAt);
    await tx.auditLog.create({
      data: auditRow(ctx, "case.step", "offboarding_case", c.id, {
        step: v.key,
        label: item.label,
        status: v.done ? "done" : "undone",
        note: v.note ?? null,
      }),
    });
    return { c, list, revoked };
  });
  if (res.revoked.length) await recomputeAll(db, ctx, [res.c.accountId], deps);
  return { id: res.c.id, accountId: res.c.accountId, status: "in_progress", checklist: res.list };
}

export const UpdateCaseInput = z.object({
  caseId: id,
  ownerId: id.nullable().optional(),
  dueDate: z.coerce.date().nullable().optional(),
});

export async function updateCase(db: Db, ctx: OrgContext, input: unknown): Promise<CaseResult> {
  assertCan(ctx, "accounts.offboard");
  const v = parseInput(UpdateCaseInput, input);
  return db.$transaction(async (tx) => {
    const c = await loadActiveCase(tx, ctx, v.caseId);
    if (v.ownerId) await requireMember(tx, ctx.orgId, v.ownerId, "ownerId");
    const data: Prisma.OffboardingCaseUpdateManyMutationInput = {};
    if (v.ownerId !== undefined) data.ownerId = v.ownerId;
    if (v.dueDate !== undefined) data.dueDate = v.dueDate;
    await tx.offboardingCase.updateMany({ where: { id: c.id, orgId: ctx.orgId }, data });
    await tx.auditLog.create({
      data: auditRow(ctx, "case.update", "offboarding_case", c.id, {
        ownerId: v.ownerId,
        dueDate: v.dueDate ? v.dueDate.toISOString().slice(0, 10) : v.dueDate,
      }),
    });
    return { id: c.id, accountId: c.accountId, status: c.status, checklist: parseChecklist(c.checklist) };
  });
}

/** Starts a rescan of the account through the jobs layer (passed in: lib never imports jobs). */
export type RescanTrigger = (req: { orgId: string; accountId: string; reason: string }) => Promise<{ runId?: string | null } | void>;

export async function requestCaseRescan(
  db: Db,
  ctx: OrgContext,
  input: unknown,
  trigger: RescanTrigger,
): Promise<CaseResult & { runId: string | null }> {
  assertCan(ctx, "accounts.offboard");
  const v = parseInput(z.object({ caseId: id }), input);
  const c = await db.offboardingCase.findFirst({ where: { id: v.caseId, orgId: ctx.orgId } });
  if (!c) throw notFound("Case not found");
  if (!ACTIVE.includes(c.status)) throw new AppError("CONFLICT", `This case is ${c.status}`);
  const requestedAt = new Date().toISOString();
  const started = await trigger({ orgId: ctx.orgId, accountId: c.accountId, reason: `offboarding case ${c.id}` });
  const runId = (started && started.runId) || null;
  const list = await db.$transaction(async (tx) => {
    const fresh = await loadActiveCase(tx, ctx, c.id);
    const items = parseChecklist(fresh.checklist);
    const item = items.find((i) => i.key === RESCAN_KEY);
    if (!item) throw new AppError("CONFLICT", "This case has no rescan step");
    item.requestedAt = requestedAt;
    item.done = false;
    item.doneAt = null;
    item.doneBy = null;
    if (runId) item.runId = runId;
    else delete item.runId;
    await saveChecklist(tx, ctx, c.id, items, fresh.updatedAt);
    await tx.auditLog.create({
      data: auditRow(ctx, "case.rescan_requested", "offboarding_case", c.id, { step: RESCAN_KEY, runId }),
    });
    return items;
  });
  return { id: c.id, accountId: c.accountId, status: "in_progress", checklist: list, runId };
}

export type RescanVerdict =
  | { state: "not_requested" }
  | { state: "pending"; pendingImages: number }
  | { state: "dirty"; locations: number; findings: number }
  | { state: "clean"; images: number; goneImages: number };

/**
 * Reads the account's scan state after the rescan request: the rescan must have finished
 * (account scanned after the request, no image still pending/scanning) and must not have seen any
 * secret again (no finding location on this account seen at or after the request).
 */
export async function verifyCaseRescan(
  db: Db,
  ctx: OrgContext,
  input: unknown,
): Promise<{ verdict: RescanVerdict; case: CaseResult }> {
  assertCan(ctx, "accounts.offboard");
  const v = parseInput(z.object({ caseId: id }), input);
  return db.$transaction(async (tx) => {
    const c = await loadActiveCase(tx, ctx, v.caseId);
    const items = parseChecklist(c.checklist);
    const item = items.find((i) => i.key === RESCAN_KEY);
    const asCase = (list: ChecklistItemView[], status = c.status): CaseResult => ({
      id: c.id,
      accountId: c.accountId,
      status,
      checklist: list,
    });
    if (!item?.requestedAt) return { verdict: { state: "not_requested" }, case: asCase(items) };
    const since = new Date(item.requestedAt);
    const a = await tx.hubAccount.findFirst({
      where: { id: c.accountId, orgId: ctx.orgId },
      select: { lastScannedAt: true, scanState: true },
    });
    if (!a) throw notFound("Account not found");
    const pendingImages = await tx.hubImage.count({
      where: { orgId: ctx.orgId, repository: { orgId: ctx.orgId, accountId: c.accountId }, scanState: { in: ["pending", "scanning"] } },
    });
    const scanned = !!a.lastScannedAt && a.lastScannedAt >= since && !/^(queued|running|scanning|pending)$/.test(a.scanState);
    if (!scanned || pendingImages > 0) return { verdict: { state: "pending", pendingImages }, case: asCase(items) };
    const seenAgain = await tx.findingLocation.findMany({
      where: { orgId: ctx.orgId, accountId: c.accountId, lastSeenAt: { gte: since } },
      select: { findingId: true },
      take: 10_000,
    });
    let verdict: RescanVerdict;
    if (seenAgain.length) {
      verdict = { state: "dirty", locations: seenAgain.length, findings: new Set(seenAgain.map((l) => l.findingId)).size };
    } else {
      const [images, gone] = await Promise.all([
        tx.hubImage.count({ where: { orgId: ctx.orgId, repository: { orgId: ctx.orgId, accountId: c.accountId } } }),
        tx.hubImage.count({ where: { orgId: ctx.orgId, repository: { orgId: ctx.orgId, accountId: c.accountId }, scanState: "gone" } }),
      ]);
      verdict = { state: "clean", images, goneImages: gone };
      item.done = true;
      item.doneAt = new Date().toISOString();
      item.doneBy = ctx.userEmail;
      await saveChecklist(tx, ctx, c.id, items, c.updatedAt);
    }
    await tx.auditLog.create({
      data: auditRow(ctx, "case.rescan_verified", "offboarding_case", c.id, { step: RESCAN_KEY, status: verdict.state, ...verdict }),
    });
    return { verdict, case: asCase(items, verdict.state === "clean" ? "in_progress" : c.status) };
  });
}

export const CloseCaseInput = z
  .object({
    caseId: id,
    outcome: z.enum(["done", "cancelled"]),
    reason: z.string().trim().max(2000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.outcome === "cancelled" && (!v.reason || v.reason.length < 3)) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Say why the case is cancelled" });
    }
  });

export async function closeCase(db: Db, ctx: OrgContext, input: unknown, deps: WorkflowDeps = {}): Promise<CaseResult> {
  assertCan(ctx, "accounts.offboard");
  const v = parseInput(CloseCaseInput, input);
  const res = await db.$transaction(async (tx) => {
    const c = await loadActiveCase(tx, ctx, v.caseId);
    const items = parseChecklist(c.checklist);
    if (v.outcome === "done") {
      const left = items.filter((i) => !i.done);
      if (left.length) {
        throw new AppError("CONFLICT", `${left.length} checklist step${left.length === 1 ? "" : "s"} still open`, {
          issues: left.map((i) => ({ path: i.key, message: `not done: ${i.label}` })),
        });
      }
    }
    const n = await tx.offboardingCase.updateMany({
      where: { id: c.id, orgId: ctx.orgId, updatedAt: c.updatedAt },
      data: { status: v.outcome, closedAt: new Date() },
    });
    if (n.count !== 1) throw new AppError("CONFLICT", "The case changed meanwhile; reload and try again");
    const accountStatus = v.outcome === "done" ? "offboarded" : "confirmed";
    await tx.hubAccount.updateMany({
      where: { id: c.accountId, orgId: ctx.orgId, status: "offboarding" },
      data: { status: accountStatus },
    });
    await tx.auditLog.createMany({
      data: [
        auditRow(ctx, `case.${v.outcome}`, "offboarding_case", c.id, { status: v.outcome, reason: v.reason ?? null }),
        auditRow(ctx, v.outcome === "done" ? "account.offboarded" : "account.offboarding_cancelled", "account", c.accountId, {
          from: "offboarding",
          to: accountStatus,
          caseId: c.id,
        }),
      ],
    });
    return { c, items };
  });
  await recomputeAll(db, ctx, [res.c.accountId], deps);
  return { id: res.c.id, accountId: res.c.accountId, status: v.outcome, checklist: res.items };
}
