import type { Metadata } from "next";
import { guardOrgPage } from "@/app/_lib/guard";
import { NotAllowed } from "@/app/_components/not-allowed";
import { SettingsTabs } from "@/app/_components/settings-tabs";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { listIdentity } from "@/lib/identity";
import { IdentityManager } from "./identity-manager";

export const metadata: Metadata = { title: "Settings · Identity" };

export default async function IdentitySettingsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const g = await guardOrgPage(orgSlug, "settings.read", `/orgs/${orgSlug}/settings`);
  if (!g.ok) return <NotAllowed orgSlug={orgSlug} what="Settings" />;
  const items = await listIdentity(await getDb(), g.ctx);
  return (
    <>
      <h1>Settings</h1>
      <SettingsTabs orgSlug={orgSlug} current="identity" />
      <p className="muted">
        Who your organisation is: discovery searches Docker Hub for these names and uses domains and email patterns as evidence
        that an account belongs to you.
      </p>
      <IdentityManager
        orgSlug={orgSlug}
        canWrite={can(g.ctx.role, "identity.write")}
        initialItems={items.map((i) => ({ ...i, createdAt: i.createdAt.toISOString() }))}
      />
    </>
  );
}
