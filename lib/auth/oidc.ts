// SECURITY-CRITICAL: maps an OpenID Connect identity to a Stowaway user.
// Linking to an existing account by email happens only when the provider says the email is
// verified; otherwise an unverified claim could take over someone's password account.
import type { PrismaClient } from "@/lib/db/generated/client";
import type { AuthUser } from "./credentials";

export const OIDC_PROVIDER_ID = "oidc";

export interface OidcIdentity {
  subject: string;
  email?: string | null | undefined;
  emailVerified?: boolean | undefined;
  name?: string | null | undefined;
}

export async function resolveOidcUser(db: PrismaClient, identity: OidcIdentity): Promise<AuthUser | null> {
  if (!identity.subject) return null;
  const linked = await db.authAccount.findUnique({
    where: { provider_providerAccountId: { provider: OIDC_PROVIDER_ID, providerAccountId: identity.subject } },
    select: { user: { select: { id: true, email: true, name: true } } },
  });
  if (linked) return linked.user;

  const email = identity.email?.trim().toLowerCase();
  if (!email) return null;
  return db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email }, select: { id: true, email: true, name: true } });
    if (existing) {
      if (!identity.emailVerified) return null;
      await tx.authAccount.create({
        data: { userId: existing.id, provider: OIDC_PROVIDER_ID, providerAccountId: identity.subject },
      });
      return existing;
    }
    return tx.user.create({
      data: {
        email,
        name: identity.name ?? null,
        accounts: { create: { provider: OIDC_PROVIDER_ID, providerAccountId: identity.subject } },
      },
      select: { id: true, email: true, name: true },
    });
  });
}
