import type { Metadata } from "next";
import { guardOrgPage } from "@/app/_lib/guard";
import { NotAllowed } from "@/app/_components/not-allowed";
import { SettingsTabs } from "@/app/_components/settings-tabs";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { getLivenessSettings, verifierCatalogue } from "@/lib/liveness";
import { VerificationToggle } from "./verification-toggle";

export const metadata: Metadata = { title: "Settings · Verification" };

export default async function VerificationSettingsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const g = await guardOrgPage(orgSlug, "settings.read", `/orgs/${orgSlug}/settings/verification`);
  if (!g.ok) return <NotAllowed orgSlug={orgSlug} what="Settings" />;
  const settings = await getLivenessSettings(await getDb(), g.ctx);
  const verifiers = verifierCatalogue();
  return (
    <>
      <h1>Settings</h1>
      <SettingsTabs orgSlug={orgSlug} current="verification" />
      <p className="muted">
        After every scan, and again each day, Stowaway asks the provider whether each leaked key still works. Each check is one
        read-only identity call (&ldquo;who am I&rdquo;) — nothing is changed at the provider. Keys the provider rejects are marked
        &ldquo;key rejected&rdquo;; keys it accepts are marked live and raise the account&rsquo;s risk. The raw value is kept only
        encrypted (AES-256-GCM) so it can be checked again.
      </p>
      <VerificationToggle orgSlug={orgSlug} initialEnabled={settings.enabled} canWrite={can(g.ctx.role, "org.update")} />
      <h2>What can be checked</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Identity call</th>
              <th scope="col">Detectors</th>
            </tr>
          </thead>
          <tbody>
            {verifiers.map((v) => (
              <tr key={v.provider}>
                <td>{v.provider}</td>
                <td className="mono">{v.endpoint}</td>
                <td>{v.detectors.join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
