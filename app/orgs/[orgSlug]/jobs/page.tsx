import type { Metadata } from "next";
import { guardOrgPage } from "@/app/_lib/guard";
import { NotAllowed } from "@/app/_components/not-allowed";
import { getDb } from "@/lib/db/client";
import { getOrgSetupCounts } from "@/lib/org";

export const metadata: Metadata = { title: "Jobs" };

// Minimal page; the jobs slice replaces it with runs, progress and retries.
export default async function JobsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const g = await guardOrgPage(orgSlug, "jobs.read", `/orgs/${orgSlug}/jobs`);
  if (!g.ok) return <NotAllowed orgSlug={orgSlug} what="jobs" />;
  const c = await getOrgSetupCounts(await getDb(), g.ctx);
  return (
    <>
      <h1>Jobs</h1>
      {c.jobRuns === 0 ? (
        <div className="empty">
          <p>
            <strong>No jobs have run for this organisation yet.</strong>
          </p>
          <p>Discovery and scan runs will be listed here with their progress and errors.</p>
        </div>
      ) : (
        <p>{c.jobRuns} job runs recorded.</p>
      )}
    </>
  );
}
