// SECURITY-CRITICAL: the single role → permission matrix. Every page, route handler and server
// action names one of these permissions; lib/auth/guards.ts resolves the membership and checks it.
// Fails closed: a permission not listed for a role is denied.

export const ROLES = ["owner", "admin", "analyst", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  "org.read": ["owner", "admin", "analyst", "viewer"],
  "org.update": ["owner", "admin"],
  "org.delete": ["owner"],
  "settings.read": ["owner", "admin"],
  "identity.read": ["owner", "admin", "analyst", "viewer"],
  "identity.write": ["owner", "admin"],
  "members.read": ["owner", "admin"],
  "members.manage": ["owner", "admin"],
  "audit.read": ["owner", "admin"],
  "accounts.read": ["owner", "admin", "analyst", "viewer"],
  "accounts.triage": ["owner", "admin", "analyst"],
  "accounts.claim": ["owner", "admin"],
  "accounts.offboard": ["owner", "admin"],
  "findings.read": ["owner", "admin", "analyst", "viewer"],
  "findings.triage": ["owner", "admin", "analyst"],
  "comments.write": ["owner", "admin", "analyst"],
  "jobs.read": ["owner", "admin", "analyst", "viewer"],
  "jobs.run": ["owner", "admin", "analyst"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** What every authorised lib call receives: resolved by membership, never from the client. */
export interface OrgContext {
  orgId: string;
  orgSlug: string;
  userId: string;
  userEmail: string;
  role: Role;
}
