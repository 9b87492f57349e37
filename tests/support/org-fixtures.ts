// Builds organisations through the public API only (sign-up, create org, invite links, accept),
// so fixtures exercise the same paths as real users.
import type { Role } from "@/lib/auth/permissions";
import { HttpSession, TEST_PASSWORD, uniqueEmail } from "./http-session";

export interface OrgFixture {
  slug: string;
  orgId: string;
  sessions: Record<Role, HttpSession>;
  emails: Record<Role, string>;
  memberIds: Record<Role, string>;
}

export async function signedInUser(baseUrl: string, prefix: string): Promise<{ s: HttpSession; email: string }> {
  const s = new HttpSession(baseUrl);
  const email = uniqueEmail(prefix);
  await s.signUpAndIn(email, TEST_PASSWORD);
  return { s, email };
}

export async function inviteAndJoin(owner: HttpSession, slug: string, role: Role, joiner: HttpSession): Promise<void> {
  const inv = await owner.post<{ token: string }>(`/api/v1/orgs/${slug}/invites`, { role });
  if (inv.status !== 201) throw new Error(`invite failed: ${inv.status} ${JSON.stringify(inv.body)}`);
  const acc = await joiner.post("/api/v1/invites/accept", { token: inv.body.token });
  if (acc.status !== 200) throw new Error(`accept failed: ${acc.status} ${JSON.stringify(acc.body)}`);
}

export async function createOrgWithRoles(baseUrl: string, name: string): Promise<OrgFixture> {
  const prefix = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const owner = await signedInUser(baseUrl, `${prefix}-owner`);
  const created = await owner.s.post<{ org: { slug: string; id: string } }>("/api/v1/orgs", { name });
  if (created.status !== 201) throw new Error(`create org failed: ${created.status} ${JSON.stringify(created.body)}`);
  const slug = created.body.org.slug;
  const sessions = { owner: owner.s } as Record<Role, HttpSession>;
  const emails = { owner: owner.email } as Record<Role, string>;
  for (const role of ["admin", "analyst", "viewer"] as const) {
    const u = await signedInUser(baseUrl, `${prefix}-${role}`);
    await inviteAndJoin(owner.s, slug, role, u.s);
    sessions[role] = u.s;
    emails[role] = u.email;
  }
  const members = await owner.s.get<{ members: { id: string; email: string; role: Role }[] }>(`/api/v1/orgs/${slug}/members`);
  const memberIds = {} as Record<Role, string>;
  for (const m of members.body.members) memberIds[m.role] = m.id;
  return { slug, orgId: created.body.org.id, sessions, emails, memberIds };
}
