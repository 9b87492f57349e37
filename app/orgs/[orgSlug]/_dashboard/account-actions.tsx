"use client";
// Account workflow buttons, by role: analysts confirm/dismiss, admins claim or offboard.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, ApiError } from "@/app/_lib/api-client";

interface Props {
  orgSlug: string;
  accountId: string;
  namespace: string;
  status: string;
  canTriage: boolean;
  canClaim: boolean;
  canOffboard: boolean;
  members: Array<{ userId: string; email: string }>;
  currentUserId: string;
}

const TRIAGEABLE = new Set(["candidate", "review", "likely", "confirmed", "dismissed"]);

export function AccountActions(p: Props) {
  const router = useRouter();
  const [panel, setPanel] = useState<null | "dismiss" | "claim" | "offboard">(null);
  const [reason, setReason] = useState("");
  const [ownerId, setOwnerId] = useState(p.currentUserId);
  const [due, setDue] = useState(() => new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10));
  const [error, setError] = useState<string | null>(null);
  const base = `/api/v1/orgs/${p.orgSlug}/accounts`;
  const m = useMutation({
    mutationFn: (action: "confirm" | "dismiss" | "claim" | "offboard") => {
      if (action === "confirm" || action === "dismiss") {
        return api(`${base}/triage`, { method: "POST", body: { accountIds: [p.accountId], decision: action, reason: reason || undefined } });
      }
      if (action === "claim") return api(`${base}/${p.accountId}/claim`, { method: "POST", body: { note: reason || undefined } });
      return api(`${base}/${p.accountId}/offboard`, { method: "POST", body: { ownerId, dueDate: due || null, note: reason || undefined } });
    },
    onSuccess: () => {
      setPanel(null);
      setReason("");
      setError(null);
      router.refresh();
    },
    onError: (e) => setError(e instanceof ApiError ? (e.issues[0]?.message ?? e.message) : "The action failed"),
  });
  const triageable = TRIAGEABLE.has(p.status);
  const claimable = p.status !== "sanctioned" && p.status !== "offboarding" && p.status !== "offboarded";
  const offboardable = p.status !== "offboarding" && p.status !== "offboarded";
  if (!p.canTriage && !p.canClaim && !p.canOffboard) return null;

  return (
    <div className="no-print">
      <div className="actions">
        {p.canTriage && triageable && p.status !== "confirmed" ? (
          <button type="button" disabled={m.isPending} onClick={() => m.mutate("confirm")}>
            Confirm as shadow
          </button>
        ) : null}
        {p.canTriage && triageable && p.status !== "dismissed" ? (
          <button type="button" className="secondary" aria-expanded={panel === "dismiss"} onClick={() => setPanel(panel === "dismiss" ? null : "dismiss")}>
            Dismiss…
          </button>
        ) : null}
        {p.canClaim && claimable ? (
          <button type="button" className="secondary" aria-expanded={panel === "claim"} onClick={() => setPanel(panel === "claim" ? null : "claim")}>
            Claim as sanctioned…
          </button>
        ) : null}
        {p.canOffboard && offboardable ? (
          <button type="button" className="danger" aria-expanded={panel === "offboard"} onClick={() => setPanel(panel === "offboard" ? null : "offboard")}>
            Offboard…
          </button>
        ) : null}
      </div>
      {panel ? (
        <form
          className="card stack"
          style={{ marginTop: "0.75rem" }}
          onSubmit={(e) => {
            e.preventDefault();
            m.mutate(panel);
          }}
        >
          {panel === "dismiss" ? (
            <p>
              Dismiss <strong>{p.namespace}</strong> as not belonging to your organisation. Discovery keeps it dismissed.
            </p>
          ) : panel === "claim" ? (
            <p>
              Claim <strong>{p.namespace}</strong>: it becomes sanctioned inventory (added to your sanctioned namespaces) and stays monitored.
            </p>
          ) : (
            <p>
              Open an offboarding case for <strong>{p.namespace}</strong>: revoke each secret, contact the owner, get the images deleted or
              transferred, and confirm with a rescan.
            </p>
          )}
          <label>
            {panel === "dismiss" ? "Reason (required)" : "Note (optional)"}
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} maxLength={2000} required={panel === "dismiss"} />
          </label>
          {panel === "offboard" ? (
            <div className="row">
              <label>
                Case owner
                <select value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
                  {p.members.map((mm) => (
                    <option key={mm.userId} value={mm.userId}>
                      {mm.email}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Due date
                <input type="date" value={due} onChange={(e) => setDue(e.target.value)} />
              </label>
            </div>
          ) : null}
          {error ? (
            <p className="field-error" role="alert">
              {error}
            </p>
          ) : null}
          <div className="actions">
            <button type="submit" disabled={m.isPending} className={panel === "offboard" ? "danger" : undefined}>
              {panel === "dismiss" ? "Dismiss account" : panel === "claim" ? "Claim account" : "Open offboarding case"}
            </button>
            <button type="button" className="secondary" onClick={() => setPanel(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
