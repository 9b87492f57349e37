"use client";
// Findings queue: server-rendered first page handed to TanStack Query as initialData, then
// status changes and assignment with optimistic updates that roll back when the server refuses.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Fragment, useState, type ReactNode } from "react";
import { api, ApiError } from "@/app/_lib/api-client";
import type { FindingRow } from "@/lib/dashboard/findings";
import { SeverityBadge, StatusBadge } from "./badges";
import { Comments } from "./comments";
import { fmt } from "./format";

/** A FindingRow as the page hands it over: JSON-serialised, so dates are ISO strings. */
export type FindingRowView = {
  [K in keyof FindingRow]: FindingRow[K] extends Date ? string : FindingRow[K] extends Date | null ? string | null : FindingRow[K];
};

export interface FindingsPageData {
  items: FindingRowView[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

interface Props {
  orgSlug: string;
  search: string;
  initial: FindingsPageData;
  members: Array<{ userId: string; email: string }>;
  canTriage: boolean;
  canComment: boolean;
  currentEmail: string;
  headers: ReactNode;
}

const STATUSES = [
  ["open", "Open"],
  ["revoked", "Revoked"],
  ["false_positive", "False positive"],
  ["accepted_risk", "Accepted risk"],
] as const;

type Ctx = { prev: FindingsPageData | undefined };

export function FindingsView(p: Props) {
  const qc = useQueryClient();
  const router = useRouter();
  const key = [p.orgSlug, "findings", p.search] as const;
  const q = useQuery({
    queryKey: key,
    queryFn: () => api<FindingsPageData>(`/api/v1/orgs/${p.orgSlug}/findings${p.search ? `?${p.search}` : ""}`),
    initialData: p.initial,
    staleTime: 10_000,
  });
  const data = q.data;
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [status, setStatus] = useState<string>("revoked");
  const [reason, setReason] = useState("");
  const [assignee, setAssignee] = useState<string>("");
  const [pending, setPending] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const emailOf = new Map(p.members.map((m) => [m.userId, m.email]));

  const optimistic = async (ids: string[], patch: (f: FindingRowView) => FindingRowView): Promise<Ctx> => {
    await qc.cancelQueries({ queryKey: key });
    const prev = qc.getQueryData<FindingsPageData>(key);
    qc.setQueryData<FindingsPageData>(key, (old) => (old ? { ...old, items: old.items.map((f) => (ids.includes(f.id) ? patch(f) : f)) } : old));
    setPending((s) => new Set([...s, ...ids]));
    return { prev };
  };
  const settle = (ids: string[]) => {
    setPending((s) => {
      const n = new Set(s);
      for (const id of ids) n.delete(id);
      return n;
    });
    void qc.invalidateQueries({ queryKey: [p.orgSlug, "findings"] });
    // totals and pagination are server-rendered
    router.refresh();
  };
  const fail = (e: unknown, ctx: Ctx | undefined) => {
    if (ctx?.prev) qc.setQueryData(key, ctx.prev);
    const text = e instanceof ApiError ? (e.issues[0]?.message ?? e.message) : "The change failed";
    setMessage({ kind: "error", text: `Not saved, rolled back: ${text}` });
  };

  const setStatusM = useMutation<{ updated: number }, unknown, { ids: string[]; status: string; reason: string }, Ctx>({
    mutationFn: (v) => api(`/api/v1/orgs/${p.orgSlug}/findings/status`, { method: "POST", body: { findingIds: v.ids, status: v.status, reason: v.reason || undefined } }),
    onMutate: (v) => optimistic(v.ids, (f) => ({ ...f, status: v.status, statusReason: v.reason || null })),
    onError: (e, _v, ctx) => fail(e, ctx),
    onSuccess: (r, v) => {
      setMessage({ kind: "ok", text: `${fmt.int(r.updated)} finding${r.updated === 1 ? "" : "s"} marked ${fmt.label(v.status)}.` });
      setSelected(new Set());
      setReason("");
    },
    onSettled: (_r, _e, v) => settle(v.ids),
  });
  const assignM = useMutation<{ updated: number }, unknown, { ids: string[]; assigneeId: string | null }, Ctx>({
    mutationFn: (v) => api(`/api/v1/orgs/${p.orgSlug}/findings/assign`, { method: "POST", body: { findingIds: v.ids, assigneeId: v.assigneeId } }),
    onMutate: (v) => optimistic(v.ids, (f) => ({ ...f, assigneeId: v.assigneeId, assigneeEmail: v.assigneeId ? (emailOf.get(v.assigneeId) ?? null) : null })),
    onError: (e, _v, ctx) => fail(e, ctx),
    onSuccess: (r) => {
      setMessage({ kind: "ok", text: `${fmt.int(r.updated)} finding${r.updated === 1 ? "" : "s"} reassigned.` });
      setSelected(new Set());
    },
    onSettled: (_r, _e, v) => settle(v.ids),
  });

  const rows = data.items;
  const all = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const ids = [...selected];
  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  return (
    <>
      {p.canTriage ? (
        <div className="toolbar no-print" role="region" aria-label="Bulk actions">
          <span aria-live="polite">{selected.size ? `${fmt.int(selected.size)} selected` : "Select findings for bulk actions"}</span>
          <label className="sr-only" htmlFor="bulk-status">
            New status
          </label>
          <select id="bulk-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            {STATUSES.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
          <label className="sr-only" htmlFor="bulk-reason">
            Reason
          </label>
          <input id="bulk-reason" type="text" placeholder="Reason" value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
          <button type="button" disabled={!selected.size} onClick={() => setStatusM.mutate({ ids, status, reason })}>
            Set status
          </button>
          <label className="sr-only" htmlFor="bulk-assignee">
            Assign to
          </label>
          <select id="bulk-assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)}>
            <option value="">Unassigned</option>
            {p.members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.email}
              </option>
            ))}
          </select>
          <button type="button" className="secondary" disabled={!selected.size} onClick={() => assignM.mutate({ ids, assigneeId: assignee || null })}>
            Assign
          </button>
        </div>
      ) : null}
      {message ? (
        <p className={`alert ${message.kind}`} role={message.kind === "error" ? "alert" : "status"} data-testid="findings-message">
          {message.text}
        </p>
      ) : null}
      {q.isError ? <p className="alert error">Could not refresh the list; showing the last loaded data.</p> : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              {p.canTriage ? (
                <th scope="col">
                  <input type="checkbox" aria-label="Select all findings on this page" checked={all} onChange={() => setSelected(all ? new Set() : new Set(rows.map((r) => r.id)))} />
                </th>
              ) : null}
              {p.headers}
              <th scope="col">
                <span className="sr-only">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((f) => (
              <Fragment key={f.id}>
                <tr className={[selected.has(f.id) ? "selected" : "", pending.has(f.id) ? "pending" : ""].join(" ").trim() || undefined} data-finding-id={f.id}>
                  {p.canTriage ? (
                    <td>
                      <input type="checkbox" aria-label={`Select ${f.detector} ${f.masked}`} checked={selected.has(f.id)} onChange={() => toggle(f.id)} />
                    </td>
                  ) : null}
                  <td>
                    <SeverityBadge severity={f.severity} />
                  </td>
                  <td>
                    <div>
                      {f.detector} <span className="muted">({f.provider})</span>
                    </div>
                    <span className="masked">{f.masked}</span>{" "}
                    <span className="muted mono" title="SHA-256 fingerprint prefix">
                      {f.fingerprintPrefix}…
                    </span>
                    <div>
                      <LivenessBadge f={f} /> {f.inLatest ? <span className="badge warn">in latest tag</span> : null}{" "}
                      {f.deletedOnly ? <span className="badge">only in history</span> : null}
                    </div>
                  </td>
                  <td>{f.accountNamespace ? <Link href={`/orgs/${p.orgSlug}/accounts/${f.accountId}`}>{f.accountNamespace}</Link> : "—"}</td>
                  <td data-testid="finding-status">
                    <StatusBadge status={f.status} />
                    {f.statusReason ? <div className="muted" style={{ fontSize: "0.8rem" }}>{f.statusReason}</div> : null}
                  </td>
                  <td>{f.assigneeEmail ?? <span className="muted">—</span>}</td>
                  <td className="num">{fmt.int(f.locationCount)}</td>
                  <td>{fmt.date(f.lastSeenAt)}</td>
                  <td>
                    <button type="button" className="link" aria-expanded={open === f.id} aria-controls={`detail-${f.id}`} onClick={() => setOpen(open === f.id ? null : f.id)}>
                      {open === f.id ? "Hide" : "Details"}
                    </button>
                  </td>
                </tr>
                {open === f.id ? (
                  <tr id={`detail-${f.id}`}>
                    <td colSpan={p.canTriage ? 9 : 8}>
                      <FindingDetail orgSlug={p.orgSlug} findingId={f.id} canComment={p.canComment} canTriage={p.canTriage} currentEmail={p.currentEmail} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The provider's answer to the last liveness check (lib/liveness), with when and why on hover. */
function LivenessBadge({ f }: { f: Pick<FindingRowView, "liveness" | "livenessCheckedAt" | "livenessReason"> }) {
  const title = f.livenessCheckedAt ? `checked ${fmt.dateTime(f.livenessCheckedAt)}${f.livenessReason ? ` · ${f.livenessReason}` : ""}` : undefined;
  if (f.liveness === "live") return <span className="badge danger" title={title}>live</span>;
  if (f.liveness === "revoked") return <span className="badge ok" title={title}>key rejected by provider</span>;
  return null;
}

function LivenessCheck({ orgSlug, findingId, f, canTriage }: { orgSlug: string; findingId: string; f: Pick<FindingRowView, "liveness" | "livenessCheckedAt" | "livenessReason">; canTriage: boolean }) {
  const qc = useQueryClient();
  const m = useMutation({
    mutationFn: () => api<{ queued: boolean }>(`/api/v1/orgs/${orgSlug}/findings/${findingId}/verify`, { method: "POST", body: {} }),
    // the check runs as a job: refresh this finding a little later
    onSuccess: () => setTimeout(() => void qc.invalidateQueries({ queryKey: [orgSlug, "finding", findingId] }), 3000),
  });
  return (
    <p data-testid="finding-liveness">
      <strong>Liveness:</strong> {fmt.label(f.liveness)}
      {f.livenessCheckedAt ? <span className="muted"> · checked {fmt.dateTime(f.livenessCheckedAt)}{f.livenessReason ? ` · ${f.livenessReason}` : ""}</span> : <span className="muted"> · never checked</span>}{" "}
      {canTriage ? (
        <button type="button" className="link" disabled={m.isPending} onClick={() => m.mutate()}>
          {m.isPending ? "Queuing…" : m.isSuccess ? "Check queued" : "Check now"}
        </button>
      ) : null}
      {m.isError ? <span className="alert error" role="alert"> {m.error instanceof ApiError ? m.error.message : "Could not queue the check"}</span> : null}
    </p>
  );
}

interface Detail extends Pick<FindingRowView, "liveness" | "livenessCheckedAt" | "livenessReason"> {
  locations: Array<{ id: string; repository: string; tag: string | null; platform: string; layerDigest: string | null; source: string; path: string | null; line: number | null; deleted: boolean }>;
  history: Array<{ at: string; action: string; actor: string | null; details: Record<string, unknown> }>;
}

function FindingDetail({ orgSlug, findingId, canComment, canTriage, currentEmail }: { orgSlug: string; findingId: string; canComment: boolean; canTriage: boolean; currentEmail: string }) {
  const q = useQuery({ queryKey: [orgSlug, "finding", findingId], queryFn: () => api<Detail>(`/api/v1/orgs/${orgSlug}/findings/${findingId}`) });
  if (q.isLoading) return <p role="status">Loading…</p>;
  if (q.isError || !q.data) return <p className="alert error">Could not load this finding.</p>;
  return (
    <div className="two-col">
      <div>
        <LivenessCheck orgSlug={orgSlug} findingId={findingId} f={q.data} canTriage={canTriage} />
        <h3>Locations</h3>
        <ul>
          {q.data.locations.map((l) => (
            <li key={l.id}>
              <span className="mono">
                {l.repository}:{l.tag ?? "—"}
              </span>{" "}
              · {l.platform} · {l.source}
              {l.path ? <span className="mono"> · {l.path}{l.line ? `:${l.line}` : ""}</span> : null}
              {l.layerDigest ? <span className="muted mono"> · layer {l.layerDigest.slice(7, 19)}</span> : null} {l.deleted ? <span className="badge warn">deleted in a later layer</span> : null}
            </li>
          ))}
        </ul>
        <h3>History</h3>
        {q.data.history.length ? (
          <ul>
            {q.data.history.map((h, i) => (
              <li key={i}>
                {fmt.dateTime(h.at)} · {h.action.replace(/[._]/g, " ")} {h.actor ? `by ${h.actor}` : ""}
                {typeof h.details.assignee === "string"
                  ? ` → ${h.details.assignee}`
                  : h.action === "finding.assign"
                    ? " → unassigned"
                    : typeof h.details.to === "string"
                      ? ` → ${fmt.label(h.details.to)}`
                      : ""}
                {typeof h.details.reason === "string" ? ` (${h.details.reason})` : ""}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No changes yet.</p>
        )}
      </div>
      <div>
        <h3>Comments</h3>
        <Comments orgSlug={orgSlug} targetType="finding" targetId={findingId} canWrite={canComment} currentEmail={currentEmail} />
      </div>
    </div>
  );
}
