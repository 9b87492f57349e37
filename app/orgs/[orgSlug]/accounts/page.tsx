import type { Metadata } from "next";
import Link from "next/link";
import { guardOrgPage } from "@/app/_lib/guard";
import { NotAllowed } from "@/app/_components/not-allowed";
import { getDb } from "@/lib/db/client";
import { getOrgSetupCounts } from "@/lib/org";

export const metadata: Metadata = { title: "Accounts" };

// Minimal page; the dashboards slice replaces it with the full accounts list.
export default async function AccountsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const g = await guardOrgPage(orgSlug, "accounts.read", `/orgs/${orgSlug}/accounts`);
  if (!g.ok) return <NotAllowed orgSlug={orgSlug} what="accounts" />;
  const c = await getOrgSetupCounts(await getDb(), g.ctx);
  return (
    <>
      <h1>Accounts</h1>
      {c.accounts === 0 ? (
        <div className="empty">
          <p>
            <strong>No Docker Hub accounts yet.</strong>
          </p>
          <p>
            Accounts appear here after discovery has searched Docker Hub for your organisation&apos;s names.
            {c.identityTotal === 0 && (
              <>
                {" "}
                First register your identity in <Link href={`/orgs/${orgSlug}/settings`}>Settings</Link>.
              </>
            )}
          </p>
        </div>
      ) : (
        <p>{c.accounts} accounts discovered.</p>
      )}
    </>
  );
}
