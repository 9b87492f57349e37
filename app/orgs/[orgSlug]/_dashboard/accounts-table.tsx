"use client";
// Accounts table with selection and bulk triage. The rows come from the server (RSC); after a
// triage the server components re-render (router.refresh) so counts and sorting stay correct.
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { api, ApiError } from "@/app/_lib/api-client";
import { StatusBadge, TierBadge } from "./badges";
import { fmt } from "./format";

export interface AccountRowView {
  id: string;
  namespace: string;
  accountType: string;
  status: string;
  confidence: number;
  risk: number;
  tier: string;
  pullCount: number;
  lastPushAt: string | null;
  discoveredAt: string;
  openFindings: number;
  criticalFindings: number;
  scanState: string;
}

export function AccountsTable({ orgSlug, rows, canTriage, headers }: { orgSlug: string; rows: AccountRowView[]; canTriage: boolean; headers: ReactNode }) {
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState("");
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const triage = useMutation({
    mutationFn: (v: { decision: "confirm" | "dismiss" }) =>
      api<{ updated: number; unchanged: number }>(`/api/v1/orgs/${orgSlug}/accounts/triage`, {
        method: "POST",
        body: { accountIds: [...selected], decision: v.decision, reason: reason || undefined },
      }),
    onSuccess: (r, v) => {
      setMessage({ kind: "ok", text: `${fmt.int(r.updated)} account${r.updated === 1 ? "" : "s"} ${v.decision === "confirm" ? "confirmed as shadow" : "dismissed"}.` });
      setSelected(new Set());
      setReason("");
      router.refresh();
    },
    onError: (e) => setMessage({ kind: "error", text: e instanceof ApiError ? (e.issueFor("reason") ?? e.message) : "Triage failed" }),
  });
  const all = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  return (
    <>
      {canTriage ? (
        <div className="toolbar no-print" role="region" aria-label="Bulk triage">
          <span>{selected.size ? `${fmt.int(selected.size)} selected` : "Select accounts to triage them together"}</span>
          <label className="sr-only" htmlFor="triage-reason">
            Reason
          </label>
          <input
            id="triage-reason"
            type="text"
            placeholder="Reason (required to dismiss)"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={2000}
          />
          <button type="button" disabled={!selected.size || triage.isPending} onClick={() => triage.mutate({ decision: "confirm" })}>
            Confirm as shadow
          </button>
          <button type="button" className="secondary" disabled={!selected.size || triage.isPending} onClick={() => triage.mutate({ decision: "dismiss" })}>
            Dismiss: not ours
          </button>
        </div>
      ) : null}
      {message ? (
        <p className={`alert ${message.kind}`} role={message.kind === "error" ? "alert" : "status"}>
          {message.text}
        </p>
      ) : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              {canTriage ? (
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label="Select all accounts on this page"
                    checked={all}
                    onChange={() => setSelected(all ? new Set() : new Set(rows.map((r) => r.id)))}
                  />
                </th>
              ) : null}
              {headers}
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id} className={selected.has(a.id) ? "selected" : undefined}>
                {canTriage ? (
                  <td>
                    <input type="checkbox" aria-label={`Select ${a.namespace}`} checked={selected.has(a.id)} onChange={() => toggle(a.id)} />
                  </td>
                ) : null}
                <td>
                  <Link href={`/orgs/${orgSlug}/accounts/${a.id}`}>{a.namespace}</Link>
                  <div className="muted" style={{ fontSize: "0.8rem" }}>
                    {a.accountType}
                  </div>
                </td>
                <td>
                  <StatusBadge status={a.status} />
                </td>
                <td className="num">
                  <TierBadge tier={a.tier} risk={a.risk} />
                </td>
                <td className="num">{fmt.pct(a.confidence)}</td>
                <td className="num">
                  <Link href={`/orgs/${orgSlug}/findings?accountId=${a.id}&status=open`}>{fmt.int(a.openFindings)}</Link>
                  {a.criticalFindings ? <div className="muted" style={{ fontSize: "0.8rem" }}>{fmt.int(a.criticalFindings)} critical</div> : null}
                </td>
                <td className="num">{fmt.compact(a.pullCount)}</td>
                <td>{fmt.date(a.lastPushAt)}</td>
                <td>{fmt.date(a.discoveredAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
