// Organisations: create (creator becomes owner) and list the ones a user belongs to.
import crypto from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { Role } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit";
import { AppError, invalidInput } from "@/lib/errors";

export const ZCreateOrgInput = z.object({
  name: z
    .string({ message: "Enter a name for the organisation" })
    .trim()
    .min(2, "Use at least 2 characters")
    .max(80, "Use at most 80 characters")
    .refine((n) => /[\p{L}\p{N}]/u.test(n), "The name needs at least one letter or digit"),
});
export type TCreateOrgInput = z.infer<typeof ZCreateOrgInput>;

const RESERVED_SLUGS = new Set(["new", "api", "admin", "settings", "invite", "signin", "signup", "orgs"]);

export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return base.length >= 2 ? base : `org-${base || crypto.randomBytes(2).toString("hex")}`;
}

export interface OrgSummary {
  id: string;
  slug: string;
  name: string;
  role: Role;
}

export async function createOrganization(
  db: PrismaClient,
  user: { id: string; email: string },
  raw: unknown,
): Promise<OrgSummary> {
  const parsed = ZCreateOrgInput.safeParse(raw);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const base = slugify(parsed.data.name);
  for (let attempt = 0; attempt < 6; attempt++) {
    const candidate = attempt === 0 && !RESERVED_SLUGS.has(base) ? base : `${base}-${crypto.randomBytes(2).toString("hex")}`;
    const taken = await db.organization.findUnique({ where: { slug: candidate }, select: { id: true } });
    if (taken) continue;
    try {
      return await db.$transaction(async (tx) => {
        const org = await tx.organization.create({
          data: { name: parsed.data.name, slug: candidate, memberships: { create: { userId: user.id, role: "owner" } } },
          select: { id: true, slug: true, name: true },
        });
        await recordAudit(tx, { orgId: org.id, userId: user.id, userEmail: user.email }, {
          action: "org.create",
          targetType: "organization",
          targetId: org.id,
          details: { name: org.name, slug: org.slug },
        });
        return { ...org, role: "owner" as const };
      });
    } catch (e) {
      if ((e as { code?: string }).code === "P2002") continue; // slug raced; try another
      throw e;
    }
  }
  throw new AppError("CONFLICT", "Could not find a free address for this organisation; try another name");
}

export async function listMyOrganizations(db: PrismaClient, userId: string): Promise<OrgSummary[]> {
  if (!userId) return [];
  const rows = await db.membership.findMany({
    where: { userId },
    select: { role: true, org: { select: { id: true, slug: true, name: true } } },
    orderBy: { org: { name: "asc" } },
  });
  return rows.map((r) => ({ ...r.org, role: r.role as Role }));
}
