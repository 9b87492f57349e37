// Per-organisation liveness setting, kept under Organization.settings.liveness = { enabled }.
// Default ON: the checks are read-only identity calls (what TruffleHog and GitGuardian run by
// default), and "is the leaked key still live" is the question the product exists to answer.
// Admins and owners can turn it off; every change is audited.
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/audit";
import type { OrgContext } from "@/lib/auth/permissions";
import { can } from "@/lib/auth/permissions";
import { AppError, invalidInput } from "@/lib/errors";
import { requireOrgId, type OrgScope } from "@/lib/db/scope";
import { hasVerifier, VERIFIERS } from "./verifiers";

/** What the settings page lists: which secrets can be checked, and how. */
export function verifierCatalogue(): Array<{ provider: string; endpoint: string; detectors: readonly string[] }> {
  return VERIFIERS.map((v) => ({ provider: v.provider, endpoint: v.endpoint, detectors: v.detectors }));
}

export interface LivenessSettings {
  enabled: boolean;
}

export const DEFAULT_LIVENESS_SETTINGS: LivenessSettings = { enabled: true };

const Schema = z.strictObject({ enabled: z.boolean() });

/** Lenient: a bad stored value falls back to the default. */
export function livenessSettingsFrom(orgSettings: unknown): LivenessSettings {
  const raw = orgSettings && typeof orgSettings === "object" ? (orgSettings as Record<string, unknown>).liveness : undefined;
  const r = Schema.safeParse(raw);
  return r.success ? r.data : { ...DEFAULT_LIVENESS_SETTINGS };
}

export async function getLivenessSettings(db: PrismaClient, scope: OrgScope): Promise<LivenessSettings> {
  const org = await db.organization.findFirst({ where: { id: requireOrgId(scope) }, select: { settings: true } });
  if (!org) throw new AppError("NOT_FOUND", "organisation not found");
  return livenessSettingsFrom(org.settings);
}

/** Admins/owners only (org.update). Strict input: { enabled: boolean }. */
export async function updateLivenessSettings(db: PrismaClient, ctx: OrgContext, input: unknown): Promise<LivenessSettings> {
  if (!can(ctx.role, "org.update")) throw new AppError("FORBIDDEN", "only admins can change liveness verification");
  const r = Schema.safeParse(input);
  if (!r.success) throw invalidInput(r.error.issues, "The liveness settings are invalid");
  const orgId = requireOrgId(ctx);
  return db.$transaction(async (tx) => {
    const org = await tx.organization.findFirst({ where: { id: orgId }, select: { settings: true } });
    if (!org) throw new AppError("NOT_FOUND", "organisation not found");
    const before = livenessSettingsFrom(org.settings);
    const settings = { ...((org.settings as Record<string, unknown> | null) ?? {}), liveness: r.data };
    const n = await tx.organization.updateMany({ where: { id: orgId }, data: { settings: settings as never } });
    if (n.count !== 1) throw new AppError("NOT_FOUND", "organisation not found");
    if (before.enabled !== r.data.enabled) {
      await recordAudit(tx, ctx, {
        action: "settings.liveness",
        targetType: "organization",
        targetId: orgId,
        details: { from: before.enabled ? "on" : "off", to: r.data.enabled ? "on" : "off" },
      });
    }
    return r.data;
  });
}

/**
 * Validates a "verify now" request for one finding (analysts and up) and audits it; the caller
 * enqueues the returned event. Another organisation's finding id is "not found".
 */
export async function prepareFindingVerification(
  db: PrismaClient,
  ctx: OrgContext,
  findingId: string,
): Promise<{ orgId: string; findingId: string; reason: "manual"; requestedBy: string }> {
  if (!can(ctx.role, "jobs.run")) throw new AppError("FORBIDDEN", "only analysts and admins can request a check");
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(findingId)) throw new AppError("NOT_FOUND", "Finding not found");
  const orgId = requireOrgId(ctx);
  const f = await db.finding.findFirst({ where: { id: findingId, orgId }, select: { id: true, detector: true, accountId: true } });
  if (!f) throw new AppError("NOT_FOUND", "Finding not found");
  if (!hasVerifier(f.detector)) throw new AppError("INVALID_INPUT", "No liveness check exists for this kind of secret");
  if (!(await getLivenessSettings(db, ctx)).enabled) throw new AppError("CONFLICT", "Liveness verification is turned off for this organisation");
  await recordAudit(db, ctx, { action: "finding.verify_requested", targetType: "finding", targetId: f.id, details: { detector: f.detector } });
  return { orgId, findingId: f.id, reason: "manual", requestedBy: ctx.userId };
}

/**
 * After an analyst marks findings revoked: the checks that confirm it ("rescan confirms"), one
 * per finding of this organisation that has a verifier, when verification is on. No audit row:
 * the status change itself is audited, and the check's outcome lands on the finding.
 */
export async function revocationChecks(
  db: PrismaClient,
  scope: OrgScope,
  findingIds: readonly string[],
): Promise<Array<{ orgId: string; findingId: string; reason: "manual" }>> {
  const orgId = requireOrgId(scope);
  if (findingIds.length === 0 || !(await getLivenessSettings(db, scope)).enabled) return [];
  const rows = await db.finding.findMany({
    where: { orgId, id: { in: [...new Set(findingIds)].slice(0, 500) }, status: "revoked" },
    select: { id: true, detector: true },
  });
  return rows.filter((r) => hasVerifier(r.detector)).map((r) => ({ orgId, findingId: r.id, reason: "manual" as const }));
}
