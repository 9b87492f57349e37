// Tenant floor: every tenant query goes through these helpers so that an empty or missing
// orgId fails closed (Prisma drops `undefined` filters, which would widen a query to all orgs).

export interface OrgScope {
  orgId: string;
}

export function requireOrgId(scope: OrgScope | { orgId?: string | null } | null | undefined): string {
  const orgId = scope?.orgId;
  if (typeof orgId !== "string" || orgId.length === 0) {
    throw new Error("tenant scope missing: refusing to run an unscoped query");
  }
  return orgId;
}

/** `where` for a tenant table: merges the caller's filter with the organisation id. */
export function scoped<W extends object>(scope: OrgScope, where?: W): W & { orgId: string } {
  return { ...(where ?? ({} as W)), orgId: requireOrgId(scope) };
}
