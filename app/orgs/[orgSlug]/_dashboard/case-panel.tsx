"use client";
// Offboarding case: checklist, owner, due date, rescan and verification, closing.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, ApiError } from "@/app/_lib/api-client";
import { StatusBadge } from "./badges";
import { fmt } from "./format";

interface Item {
  key: string;
  label: string;
  done: boolean;
  doneAt: string | null;
  doneBy: string | null;
  requestedAt?: string;
  runId?: string;
}

interface Props {
  orgSlug: string;
  caseId: string;
  status: string;
  ownerEmail: string | null;
  dueDate: string | null;
  checklist: Item[];
  canEdit: boolean;
}

type Verdict = { state: "not_requested" } | { state: "pending"; pendingImages: number } | { state: "dirty"; locations: number; findings: number } | { state: "clean"; images: number; goneImages: number };

export function CasePanel(p: Props) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [cancelReason, setCancelReason] = useState("");
  // ticks show at once and are rolled back if the server refuses them
  const [ticked, setTicked] = useState<Record<string, boolean>>({});
  const base = `/api/v1/orgs/${p.orgSlug}/cases/${p.caseId}`;
  const onError = (e: unknown) => setError(e instanceof ApiError ? (e.issues[0]?.message ?? e.message) : "The action failed");
  const step = useMutation({
    mutationFn: (v: { key: string; done: boolean }) => api(`${base}/steps`, { method: "POST", body: v }),
    onMutate: (v) => setTicked((t) => ({ ...t, [v.key]: v.done })),
    onSuccess: () => {
      setError(null);
      router.refresh();
    },
    onError: (e, v) => {
      setTicked((t) => {
        const n = { ...t };
        delete n[v.key];
        return n;
      });
      onError(e);
    },
  });
  const rescan = useMutation({
    mutationFn: () => api(`${base}/rescan`, { method: "POST", body: {} }),
    onSuccess: () => {
      setError(null);
      setVerdict(null);
      router.refresh();
    },
    onError,
  });
  const verify = useMutation({
    mutationFn: () => api<{ verdict: Verdict }>(`${base}/verify`, { method: "POST", body: {} }),
    onSuccess: (r) => {
      setVerdict(r.verdict);
      setError(null);
      router.refresh();
    },
    onError,
  });
  const close = useMutation({
    mutationFn: (outcome: "done" | "cancelled") => api(`${base}/close`, { method: "POST", body: { outcome, reason: cancelReason || undefined } }),
    onSuccess: () => {
      setError(null);
      router.refresh();
    },
    onError,
  });
  const active = p.status === "open" || p.status === "in_progress";
  const editable = active && p.canEdit;
  const isDone = (i: Item) => ticked[i.key] ?? i.done;
  const doneCount = p.checklist.filter(isDone).length;
  const rescanItem = p.checklist.find((i) => i.key === "rescan_clean");

  return (
    <section className="card" aria-labelledby={`case-${p.caseId}`} data-testid="offboarding-case">
      <h2 id={`case-${p.caseId}`}>
        <span>
          Offboarding case <StatusBadge status={p.status} />
        </span>
        <span className="muted" style={{ fontSize: "0.85rem", fontWeight: 400 }}>
          Owner {p.ownerEmail ?? "—"} · due {fmt.date(p.dueDate)}
        </span>
      </h2>
      <div className="progress" role="progressbar" aria-label="Checklist progress" aria-valuemin={0} aria-valuemax={p.checklist.length} aria-valuenow={doneCount}>
        <span style={{ width: `${p.checklist.length ? Math.round((doneCount / p.checklist.length) * 100) : 0}%` }} />
      </div>
      <p className="muted">
        {fmt.int(doneCount)} of {fmt.int(p.checklist.length)} steps done
      </p>
      <ul className="checklist">
        {p.checklist.map((i) => (
          <li key={i.key}>
            {i.key === "rescan_clean" ? (
              <span>
                <span className={`badge ${i.done ? "ok" : "warn"}`}>{i.done ? "confirmed" : i.requestedAt ? "waiting for the rescan" : "not requested"}</span> {i.label}
              </span>
            ) : (
              <label>
                <input
                  type="checkbox"
                  checked={isDone(i)}
                  disabled={!editable}
                  onChange={(e) => step.mutate({ key: i.key, done: e.target.checked })}
                />
                {i.label}
              </label>
            )}
            {i.done && i.doneAt ? (
              <span className="muted" style={{ fontSize: "0.8rem" }}>
                {i.doneBy} · {fmt.dateTime(i.doneAt)}
              </span>
            ) : null}
            {i.key === "rescan_clean" && editable ? (
              <span className="actions">
                <button type="button" className="secondary" disabled={rescan.isPending} onClick={() => rescan.mutate()}>
                  {i.requestedAt ? "Rescan again" : "Request rescan"}
                </button>
                {i.requestedAt ? (
                  <button type="button" className="secondary" disabled={verify.isPending} onClick={() => verify.mutate()}>
                    Check rescan result
                  </button>
                ) : null}
                {i.requestedAt ? (
                  <span className="muted" style={{ fontSize: "0.8rem" }}>
                    requested {fmt.dateTime(i.requestedAt)}
                  </span>
                ) : null}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {verdict ? (
        <p className={`alert ${verdict.state === "clean" ? "ok" : verdict.state === "dirty" ? "error" : "warn"}`} role="status" data-testid="rescan-verdict">
          {verdict.state === "clean"
            ? `Rescan confirms the account is clean: ${fmt.int(verdict.goneImages)} of ${fmt.int(verdict.images)} images gone, no secret seen again.`
            : verdict.state === "dirty"
              ? `The rescan still sees ${fmt.int(verdict.findings)} secret${verdict.findings === 1 ? "" : "s"} in ${fmt.int(verdict.locations)} place${verdict.locations === 1 ? "" : "s"}.`
              : verdict.state === "pending"
                ? `The rescan has not finished yet${verdict.pendingImages ? ` (${fmt.int(verdict.pendingImages)} images pending)` : ""}. Check again shortly.`
                : "No rescan requested yet."}
        </p>
      ) : null}
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
      {editable ? (
        <div className="actions" style={{ marginTop: "0.75rem" }}>
          <button type="button" disabled={close.isPending || doneCount < p.checklist.length} onClick={() => close.mutate("done")}>
            Close case: offboarded
          </button>
          <label className="sr-only" htmlFor={`cancel-${p.caseId}`}>
            Reason to cancel
          </label>
          <input id={`cancel-${p.caseId}`} type="text" placeholder="Reason to cancel" value={cancelReason} onChange={(e) => setCancelReason(e.target.value)} />
          <button type="button" className="secondary" disabled={close.isPending} onClick={() => close.mutate("cancelled")}>
            Cancel case
          </button>
          {rescanItem && !rescanItem.done ? <span className="muted">The last step is ticked by a clean rescan.</span> : null}
        </div>
      ) : null}
    </section>
  );
}
