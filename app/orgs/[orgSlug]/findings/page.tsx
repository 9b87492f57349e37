import type { Metadata } from "next";
import { guardOrgPage } from "@/app/_lib/guard";
import { NotAllowed } from "@/app/_components/not-allowed";
import { getDb } from "@/lib/db/client";
import { getOrgSetupCounts } from "@/lib/org";

export const metadata: Metadata = { title: "Findings" };

// Minimal page; the dashboards slice replaces it with the findings workflow.
export default async function FindingsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const g = await guardOrgPage(orgSlug, "findings.read", `/orgs/${orgSlug}/findings`);
  if (!g.ok) return <NotAllowed orgSlug={orgSlug} what="findings" />;
  const c = await getOrgSetupCounts(await getDb(), g.ctx);
  return (
    <>
      <h1>Findings</h1>
      {c.openFindings === 0 ? (
        <div className="empty">
          <p>
            <strong>No open findings.</strong>
          </p>
          <p>Secrets found in scanned images appear here, masked and ranked by severity. Scans start once discovery has found accounts.</p>
        </div>
      ) : (
        <p>{c.openFindings} open findings.</p>
      )}
    </>
  );
}
