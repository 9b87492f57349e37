import type { Metadata } from "next";
import { guardOrgPage } from "@/app/_lib/guard";
import { NotAllowed } from "@/app/_components/not-allowed";
import { SettingsTabs } from "@/app/_components/settings-tabs";
import { listAudit } from "@/lib/audit";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Settings · Audit log" };

function describe(details: unknown): string {
  if (!details || typeof details !== "object") return "";
  return Object.entries(details as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" · ");
}

export default async function AuditPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const g = await guardOrgPage(orgSlug, "audit.read", `/orgs/${orgSlug}/settings/audit`);
  if (!g.ok) return <NotAllowed orgSlug={orgSlug} what="the audit log" />;
  const entries = await listAudit(await getDb(), g.ctx, { limit: 200 });
  return (
    <>
      <h1>Settings</h1>
      <SettingsTabs orgSlug={orgSlug} current="audit" />
      <p className="muted">Every change to identity, members, roles and invites, newest first (last 200).</p>
      {entries.length === 0 ? (
        <div className="empty">No changes recorded yet.</div>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.createdAt.toISOString()}>{e.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC</time>
                  </td>
                  <td>{e.actorEmail ?? "system"}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{describe(e.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
