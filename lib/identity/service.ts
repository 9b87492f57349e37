// Organisation identity: the names, domains and patterns discovery looks for. All reads and writes
// are scoped by the caller's OrgContext; multi-row adds are one transaction (all or nothing).
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { OrgContext } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit";
import { getDb } from "@/lib/db/client";
import { scoped } from "@/lib/db/scope";
import { AppError, type FieldIssue, invalidInput } from "@/lib/errors";
import { IDENTITY_KINDS, isIdentityKind, nameWarnings, normalizeIdentity, type IdentityKind, type NormalizedIdentity } from "./values";

const ZItem = z.object({
  value: z.string({ message: "Enter a value" }),
  category: z.string().max(40).nullish(),
  notes: z.string({ message: "Notes must be text" }).nullish(),
});
const ZBulk = z.object({ items: z.array(ZItem).min(1, "Add at least one item").max(200, "Add at most 200 items at once") });
/** POST body: one item, or { items: [...] } to add several at once (max 200). Picked by shape
 * rather than z.union so that errors point at the right field. */
export const ZAddIdentityInput = {
  safeParse(raw: unknown) {
    const bulk = typeof raw === "object" && raw !== null && "items" in raw;
    return bulk ? ZBulk.safeParse(raw) : ZItem.safeParse(raw);
  },
};
export const ZUpdateIdentityInput = z.object({
  notes: z.string({ message: "Notes must be text" }).max(500, "Notes can be at most 500 characters").nullable(),
});

export interface IdentityItemRow {
  id: string;
  kind: IdentityKind;
  value: string;
  normalized: string;
  category: string | null;
  notes: string | null;
  createdAt: Date;
  warnings: string[];
}

const SELECT = { id: true, kind: true, value: true, normalized: true, category: true, notes: true, createdAt: true } as const;

function withWarnings(r: Omit<IdentityItemRow, "warnings">): IdentityItemRow {
  return { ...r, warnings: r.kind === "known_name" ? nameWarnings(r.normalized) : [] };
}

export function parseKind(kind: string): IdentityKind {
  if (!isIdentityKind(kind)) throw new AppError("NOT_FOUND", `Unknown identity kind; use one of: ${IDENTITY_KINDS.join(", ")}`);
  return kind;
}

export async function listIdentity(
  db: PrismaClient,
  ctx: Pick<OrgContext, "orgId">,
  kind?: IdentityKind,
): Promise<IdentityItemRow[]> {
  const rows = await db.identityItem.findMany({
    where: scoped(ctx, kind ? { kind } : {}),
    orderBy: [{ kind: "asc" }, { normalized: "asc" }],
    select: SELECT,
  });
  return rows.map((r) => withWarnings({ ...r, kind: r.kind as IdentityKind }));
}

export async function addIdentityItems(
  db: PrismaClient,
  ctx: OrgContext,
  kind: IdentityKind,
  raw: unknown,
): Promise<IdentityItemRow[]> {
  const parsed = ZAddIdentityInput.safeParse(raw);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const bulk = "items" in parsed.data;
  const inputs = "items" in parsed.data ? parsed.data.items : [parsed.data];
  const issues: FieldIssue[] = [];
  const items: NormalizedIdentity[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((input, i) => {
    const prefix = bulk ? `items.${i}.` : "";
    const r = normalizeIdentity(kind, input);
    if (!r.ok) {
      for (const p of r.problems) issues.push({ path: prefix + p.path, message: p.message });
      return;
    }
    const dup = seen.get(r.item.normalized);
    if (dup !== undefined) {
      issues.push({ path: `${prefix}value`, message: `Duplicate of item ${dup + 1} in this request` });
      return;
    }
    seen.set(r.item.normalized, i);
    items.push(r.item);
  });
  if (issues.length) throw new AppError("INVALID_INPUT", "Some values are not valid; nothing was saved", { issues });

  const existing = await db.identityItem.findMany({
    where: scoped(ctx, { kind, normalized: { in: items.map((i) => i.normalized) } }),
    select: { normalized: true },
  });
  if (existing.length) {
    const taken = new Set(existing.map((e) => e.normalized));
    throw new AppError("CONFLICT", "Already registered; nothing was saved", {
      // No validation issues at this point, so items[i] is inputs[i].
      issues: items.flatMap((it, i) =>
        taken.has(it.normalized) ? [{ path: `${bulk ? `items.${i}.` : ""}value`, message: `${it.normalized} is already registered` }] : [],
      ),
    });
  }
  try {
    return await db.$transaction(async (tx) => {
      const out: IdentityItemRow[] = [];
      for (const it of items) {
        const row = await tx.identityItem.create({
          data: { orgId: ctx.orgId, kind, value: it.value, normalized: it.normalized, category: it.category, notes: it.notes, createdById: ctx.userId },
          select: SELECT,
        });
        await recordAudit(tx, ctx, {
          action: "identity.add",
          targetType: "identity_item",
          targetId: row.id,
          details: { kind, value: row.value, category: row.category },
        });
        out.push({ ...withWarnings({ ...row, kind }), warnings: it.warnings });
      }
      return out;
    });
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") throw new AppError("CONFLICT", "Already registered; nothing was saved");
    throw e;
  }
}

export async function updateIdentityNotes(
  db: PrismaClient,
  ctx: OrgContext,
  id: string,
  raw: unknown,
): Promise<IdentityItemRow> {
  const parsed = ZUpdateIdentityInput.safeParse(raw);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const notes = parsed.data.notes?.trim() || null;
  return db.$transaction(async (tx) => {
    const before = await tx.identityItem.findFirst({ where: scoped(ctx, { id }), select: { id: true, kind: true, value: true, notes: true } });
    if (!before) throw new AppError("NOT_FOUND", "Identity item not found");
    const r = await tx.identityItem.updateMany({ where: scoped(ctx, { id }), data: { notes } });
    if (r.count !== 1) throw new AppError("NOT_FOUND", "Identity item not found");
    await recordAudit(tx, ctx, {
      action: "identity.update",
      targetType: "identity_item",
      targetId: id,
      details: { kind: before.kind, value: before.value, notesBefore: before.notes, notesAfter: notes },
    });
    const row = await tx.identityItem.findFirstOrThrow({ where: scoped(ctx, { id }), select: SELECT });
    return withWarnings({ ...row, kind: row.kind as IdentityKind });
  });
}

export async function deleteIdentityItem(db: PrismaClient, ctx: OrgContext, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const before = await tx.identityItem.findFirst({ where: scoped(ctx, { id }), select: { id: true, kind: true, value: true } });
    if (!before) throw new AppError("NOT_FOUND", "Identity item not found");
    const r = await tx.identityItem.deleteMany({ where: scoped(ctx, { id }) });
    if (r.count !== 1) throw new AppError("NOT_FOUND", "Identity item not found");
    await recordAudit(tx, ctx, { action: "identity.remove", targetType: "identity_item", targetId: id, details: { kind: before.kind, value: before.value } });
  });
}

export interface OrgIdentity {
  domains: string[];
  emailPatterns: string[];
  knownNames: { name: string; normalized: string; category: string }[];
  sanctionedNamespaces: string[];
  exclusions: string[];
  cloudAccountIds: { id: string; provider: string }[];
}

/** Everything discovery needs about who the organisation is, in canonical form. */
export async function getOrgIdentity(ctx: Pick<OrgContext, "orgId">, db?: PrismaClient): Promise<OrgIdentity> {
  const rows = await (db ?? (await getDb())).identityItem.findMany({
    where: scoped(ctx),
    orderBy: { normalized: "asc" },
    select: { kind: true, value: true, normalized: true, category: true },
  });
  const of = (k: IdentityKind) => rows.filter((r) => r.kind === k);
  return {
    domains: of("domain").map((r) => r.normalized),
    emailPatterns: of("email_pattern").map((r) => r.normalized),
    knownNames: of("known_name").map((r) => ({ name: r.value, normalized: r.normalized, category: r.category ?? "other" })),
    sanctionedNamespaces: of("sanctioned_namespace").map((r) => r.normalized),
    exclusions: of("exclusion").map((r) => r.normalized),
    cloudAccountIds: of("cloud_account_id").map((r) => ({ id: r.normalized, provider: r.category ?? "aws" })),
  };
}
