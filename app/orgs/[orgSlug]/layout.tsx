import type { ReactNode } from "react";
import { guardOrgPage } from "@/app/_lib/guard";
import { AppShell } from "@/app/_components/app-shell";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { listMyOrganizations } from "@/lib/org";

// The shell only renders navigation; every page under it authorises itself (guardOrgPage).
export default async function OrgLayout({ children, params }: { children: ReactNode; params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const g = await guardOrgPage(orgSlug, "org.read", `/orgs/${orgSlug}`);
  if (!g.ok) return children;
  const orgs = await listMyOrganizations(await getDb(), g.ctx.userId);
  return (
    <AppShell
      orgSlug={orgSlug}
      orgs={orgs.map((o) => ({ slug: o.slug, name: o.name }))}
      userEmail={g.ctx.userEmail}
      role={g.ctx.role}
      showSettings={can(g.ctx.role, "settings.read")}
    >
      {children}
    </AppShell>
  );
}
