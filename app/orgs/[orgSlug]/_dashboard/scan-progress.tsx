"use client";
// Live scan progress on the account page: polls the jobs API while a run for this account is
// active. Tolerates the jobs API being absent (older server) by showing the stored scan state.
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { api } from "@/app/_lib/api-client";
import { fmt } from "./format";

interface Run {
  id: string;
  status: string;
  functionId?: string;
  progress?: Record<string, unknown> | null;
  createdAt?: string;
  error?: string | null;
  /** the jobs API marks a run active while it or anything it fanned out is still running */
  active?: boolean;
}

const ACTIVE = new Set(["queued", "running"]);
const isActive = (r: Run) => r.active ?? ACTIVE.has(r.status);

function numbers(p: Record<string, unknown> | null | undefined): { done: number; total: number } | null {
  if (!p) return null;
  const done = Number(p.imagesScanned ?? p.done ?? p.scanned ?? NaN);
  const total = Number(p.imagesTotal ?? p.total ?? NaN);
  return Number.isFinite(done) && Number.isFinite(total) && total > 0 ? { done, total } : null;
}

export function ScanProgress({ orgSlug, accountId, scanState, lastScannedAt }: { orgSlug: string; accountId: string; scanState: string; lastScannedAt: string | null }) {
  const router = useRouter();
  const q = useQuery({
    queryKey: [orgSlug, "jobs", "account", accountId],
    queryFn: () => api<{ runs?: Run[]; items?: Run[] }>(`/api/v1/orgs/${orgSlug}/jobs?accountId=${encodeURIComponent(accountId)}`),
    refetchInterval: (query) => {
      const runs = query.state.data?.runs ?? query.state.data?.items ?? [];
      return runs.some(isActive) ? 2_000 : 20_000;
    },
    retry: false,
  });
  const runs = q.data?.runs ?? q.data?.items ?? [];
  const active = runs.filter(isActive);
  const wasActive = useRef(false);
  useEffect(() => {
    // a run just finished: re-render the server components (new findings, images, risk)
    if (wasActive.current && active.length === 0) router.refresh();
    wasActive.current = active.length > 0;
  }, [active.length, router]);
  // An account-scan run's progress already counts the image scans it fanned out; count those
  // image-scan runs only when no parent run reports totals, or the bar double-counts.
  const parents = active.filter((r) => r.functionId !== "image-scan");
  const counted = parents.some((r) => numbers(r.progress)) ? parents : active;
  const totals = counted.map((r) => numbers(r.progress)).filter((x): x is { done: number; total: number } => !!x);
  const done = totals.reduce((a, b) => a + b.done, 0);
  const total = totals.reduce((a, b) => a + b.total, 0);

  return (
    <div role="status" aria-live="polite" data-testid="scan-progress">
      {active.length ? (
        <>
          <p style={{ marginBottom: "0.3rem" }}>
            Scan in progress: {fmt.int(active.length)} job{active.length === 1 ? "" : "s"} queued or running
            {total ? ` · ${fmt.int(done)} of ${fmt.int(total)} images` : ""}
          </p>
          <div className="progress" role="progressbar" aria-label="Scan progress" aria-valuemin={0} aria-valuemax={total || 1} aria-valuenow={done}>
            <span style={{ width: total ? `${Math.round((done / total) * 100)}%` : "15%" }} />
          </div>
        </>
      ) : (
        <p className="muted" style={{ margin: 0 }}>
          Scan state: {fmt.label(scanState)} · last scanned {fmt.dateTime(lastScannedAt)}
          {runs[0]?.status === "failed" ? ` · last run failed${runs[0].error ? `: ${runs[0].error}` : ""}` : ""}
        </p>
      )}
    </div>
  );
}
