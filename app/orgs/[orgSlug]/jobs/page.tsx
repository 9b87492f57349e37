import type { Metadata } from "next";
import { guardOrgPage } from "@/app/_lib/guard";
import { NotAllowed } from "@/app/_components/not-allowed";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { listJobRuns } from "@/lib/jobs/runs";
import { JobsView } from "./jobs-view";

export const metadata: Metadata = { title: "Jobs" };
export const dynamic = "force-dynamic";

export default async function JobsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const g = await guardOrgPage(orgSlug, "jobs.read", `/orgs/${orgSlug}/jobs`);
  if (!g.ok) return <NotAllowed orgSlug={orgSlug} what="jobs" />;
  const runs = await listJobRuns(await getDb(), g.ctx, { limit: 100 });
  return <JobsView orgSlug={orgSlug} canRun={can(g.ctx.role, "jobs.run")} initialRuns={runs} />;
}
