import type { Metadata } from "next";
import Link from "next/link";
import { guardOrgPage } from "@/app/_lib/guard";
import { NotAllowed } from "@/app/_components/not-allowed";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { getOrgSetupCounts } from "@/lib/org";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const g = await guardOrgPage(orgSlug, "org.read", `/orgs/${orgSlug}`);
  if (!g.ok) return <NotAllowed orgSlug={orgSlug} what="the overview" />;
  const c = await getOrgSetupCounts(await getDb(), g.ctx);
  const base = `/orgs/${orgSlug}`;
  const canConfigure = can(g.ctx.role, "identity.write");
  const hasIdentity = (c.identity.domain ?? 0) + (c.identity.known_name ?? 0) + (c.identity.email_pattern ?? 0) > 0;
  return (
    <>
      <h1>Overview</h1>
      <div className="grid" style={{ marginBottom: "1rem" }}>
        <div className="card">
          <div className="muted">Identity items</div>
          <div className="stat">{c.identityTotal}</div>
        </div>
        <div className="card">
          <div className="muted">Docker Hub accounts found</div>
          <div className="stat">{c.accounts}</div>
        </div>
        <div className="card">
          <div className="muted">Open findings</div>
          <div className="stat">{c.openFindings}</div>
        </div>
        <div className="card">
          <div className="muted">Members</div>
          <div className="stat">{c.members}</div>
        </div>
      </div>
      {(!hasIdentity || c.accounts === 0) && (
        <section className="card" aria-labelledby="next-steps">
          <h2 id="next-steps" style={{ marginTop: 0 }}>
            What to do next
          </h2>
          <p className="muted">Nothing has been discovered yet. Stowaway needs to know who you are before it can look for shadow accounts.</p>
          <ol className="steps">
            <li className={hasIdentity ? "done" : undefined}>
              <strong>Register your identity</strong>: your domains, email patterns, brand and product names, sanctioned Docker Hub
              namespaces.{" "}
              {hasIdentity ? (
                "Done."
              ) : canConfigure ? (
                <Link href={`${base}/settings`}>Open Settings › Identity</Link>
              ) : (
                "Ask an owner or admin of this organisation to do this."
              )}
            </li>
            <li className={c.jobRuns > 0 ? "done" : undefined}>
              <strong>Discovery runs</strong>: Stowaway searches Docker Hub for your names and scores each candidate account with the
              evidence behind it. Follow it on the <Link href={`${base}/jobs`}>Jobs</Link> page.
            </li>
            <li className={c.accounts > 0 ? "done" : undefined}>
              <strong>Review accounts</strong>: confirm or dismiss candidates on the <Link href={`${base}/accounts`}>Accounts</Link> page.
            </li>
            <li>
              <strong>Triage findings</strong>: secrets found in images appear on the <Link href={`${base}/findings`}>Findings</Link>{" "}
              page, masked, ranked by risk.
            </li>
          </ol>
        </section>
      )}
    </>
  );
}
