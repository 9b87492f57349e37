"use client";
// Jobs page body: runs with status, progress, duration and errors; "Run discovery now" and
// "Retry" for analysts and up. Polls while anything is active (live progress).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, ApiError } from "@/app/_lib/api-client";

export interface RunView {
  id: string;
  functionId: string;
  label: string;
  status: string;
  attempt: number;
  maxAttempts: number;
  target: string | null;
  accountId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  progress: { imagesTotal: number; imagesScanned: number; imagesFailed: number; accountsTotal: number; accountsDone: number };
  details: Record<string, unknown>;
  active: boolean;
}

const jobsKey = (orgSlug: string, filter: string) => [orgSlug, "jobs", filter] as const;

function duration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

function progressText(r: RunView): string {
  const p = r.progress;
  if (r.functionId === "image-scan") return r.status === "completed" ? "scanned" : r.status;
  const parts: string[] = [];
  if (p.accountsTotal) parts.push(`${p.accountsDone}/${p.accountsTotal} accounts`);
  if (p.imagesTotal || r.functionId === "account-scan") parts.push(`${p.imagesScanned}/${p.imagesTotal} images scanned${p.imagesFailed ? `, ${p.imagesFailed} failed` : ""}`);
  return parts.join(" · ") || "—";
}

export function JobsView(props: { orgSlug: string; canRun: boolean; initialRuns: RunView[] }) {
  const { orgSlug, canRun } = props;
  const [filter, setFilter] = useState<"top" | "all" | "failed">("top");
  const qc = useQueryClient();
  const qs = filter === "failed" ? "?status=failed&limit=100" : filter === "top" ? "?limit=100" : "?limit=200";
  const runs = useQuery({
    queryKey: jobsKey(orgSlug, filter),
    queryFn: () => api<{ runs: RunView[] }>(`/api/v1/orgs/${orgSlug}/jobs${qs}`).then((r) => r.runs),
    initialData: filter === "top" ? props.initialRuns : undefined,
    refetchInterval: (q) => ((q.state.data ?? []).some((r) => r.active) ? 2000 : 15000),
  });
  const [message, setMessage] = useState<string | null>(null);
  const onError = (e: unknown) => setMessage(e instanceof ApiError ? e.message : "The request failed");
  const discover = useMutation({
    mutationFn: () => api<{ alreadyQueued: boolean }>(`/api/v1/orgs/${orgSlug}/jobs`, { method: "POST", body: { type: "discovery" } }),
    onSuccess: (r) => {
      setMessage(r.alreadyQueued ? "A discovery run is already in progress." : "Discovery started.");
      return qc.invalidateQueries({ queryKey: [orgSlug, "jobs"] });
    },
    onError,
  });
  const retry = useMutation({
    mutationFn: (id: string) => api(`/api/v1/orgs/${orgSlug}/jobs/${id}/retry`, { method: "POST", body: {} }),
    onSuccess: () => {
      setMessage("Run queued again.");
      return qc.invalidateQueries({ queryKey: [orgSlug, "jobs"] });
    },
    onError,
  });

  const list = (runs.data ?? []).filter((r) => filter !== "top" || r.functionId !== "image-scan" || r.status === "failed");
  return (
    <>
      <div className="row" style={{ justifyContent: "space-between", alignItems: "center", gap: "1rem", flexWrap: "wrap" }}>
        <h1>Jobs</h1>
        {canRun ? (
          <button type="button" onClick={() => discover.mutate()} disabled={discover.isPending}>
            {discover.isPending ? "Starting…" : "Run discovery now"}
          </button>
        ) : null}
      </div>
      <p className="muted">
        Discovery finds candidate accounts; account scans list their tags and fan out one image scan per new digest.
      </p>
      {message ? (
        <p className="alert" role="status">
          {message}
        </p>
      ) : null}
      <div className="tabs" role="tablist" aria-label="Filter runs">
        {(
          [
            ["top", "Discovery and account scans"],
            ["all", "All runs"],
            ["failed", "Failed"],
          ] as const
        ).map(([k, label]) => (
          <button key={k} type="button" role="tab" aria-selected={filter === k} onClick={() => setFilter(k)}>
            {label}
          </button>
        ))}
      </div>
      {runs.isError ? <p className="alert">Could not load the runs. They will be retried automatically.</p> : null}
      {runs.isLoading ? <p className="muted">Loading runs…</p> : null}
      {!runs.isLoading && list.length === 0 ? (
        <div className="empty">
          <p>
            <strong>No runs here yet.</strong>
          </p>
          <p>{canRun ? "Add your domains and names in Settings, then run discovery." : "An analyst or admin can start discovery."}</p>
        </div>
      ) : null}
      {list.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Target</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col">Error</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((r) => (
                <tr key={r.id}>
                  <td>{r.label}</td>
                  <td>{r.accountId && r.target ? <a href={`/orgs/${orgSlug}/accounts/${r.accountId}`}>{r.target}</a> : (r.target ?? "—")}</td>
                  <td>
                    <span className="badge" data-status={r.status}>
                      {r.status}
                    </span>
                    {r.attempt > 1 ? <span className="muted"> (attempt {r.attempt}/{r.maxAttempts})</span> : null}
                  </td>
                  <td>
                    {progressText(r)}
                    {r.active && r.progress.imagesTotal > 0 ? (
                      <progress value={r.progress.imagesScanned + r.progress.imagesFailed} max={r.progress.imagesTotal} aria-label="images scanned" />
                    ) : null}
                  </td>
                  <td>{r.startedAt ? new Date(r.startedAt).toLocaleString() : "queued"}</td>
                  <td>{duration(r.durationMs)}</td>
                  <td className="muted" style={{ maxWidth: "24rem", overflowWrap: "anywhere" }}>
                    {r.error ?? ""}
                  </td>
                  <td>
                    {canRun && r.status === "failed" ? (
                      <button type="button" onClick={() => retry.mutate(r.id)} disabled={retry.isPending}>
                        Retry
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
