import type { Metadata } from "next";
import { guardOrgPage } from "@/app/_lib/guard";
import { NotAllowed } from "@/app/_components/not-allowed";
import { SettingsTabs } from "@/app/_components/settings-tabs";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { listInvites, listMembers } from "@/lib/org";
import { MembersManager } from "./members-manager";

export const metadata: Metadata = { title: "Settings · Members" };

export default async function MembersPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const g = await guardOrgPage(orgSlug, "members.read", `/orgs/${orgSlug}/settings/members`);
  if (!g.ok) return <NotAllowed orgSlug={orgSlug} what="Settings" />;
  const db = await getDb();
  const [members, invites] = await Promise.all([listMembers(db, g.ctx), listInvites(db, g.ctx)]);
  return (
    <>
      <h1>Settings</h1>
      <SettingsTabs orgSlug={orgSlug} current="members" />
      <MembersManager
        orgSlug={orgSlug}
        me={{ userId: g.ctx.userId, role: g.ctx.role }}
        canManage={can(g.ctx.role, "members.manage")}
        initialMembers={members.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() }))}
        initialInvites={invites.map((i) => ({
          ...i,
          expiresAt: i.expiresAt.toISOString(),
          createdAt: i.createdAt.toISOString(),
          usedAt: i.usedAt?.toISOString() ?? null,
          revokedAt: i.revokedAt?.toISOString() ?? null,
        }))}
      />
    </>
  );
}
