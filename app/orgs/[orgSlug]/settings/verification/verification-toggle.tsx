"use client";
// Admins turn liveness verification on or off; the change is audited server-side.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api, ApiError } from "@/app/_lib/api-client";

export function VerificationToggle({ orgSlug, initialEnabled, canWrite }: { orgSlug: string; initialEnabled: boolean; canWrite: boolean }) {
  const [enabled, setEnabled] = useState(initialEnabled);
  const m = useMutation({
    mutationFn: (next: boolean) => api<{ enabled: boolean }>(`/api/v1/orgs/${orgSlug}/settings/liveness`, { method: "PUT", body: { enabled: next } }),
    onMutate: (next) => {
      const prev = enabled;
      setEnabled(next);
      return { prev };
    },
    onError: (_e, _next, ctx) => setEnabled(ctx?.prev ?? initialEnabled),
    onSuccess: (r) => setEnabled(r.enabled),
  });
  return (
    <div className="card">
      <label style={{ flexDirection: "row", alignItems: "center", gap: "0.5rem" }}>
        <input type="checkbox" checked={enabled} disabled={!canWrite || m.isPending} onChange={(e) => m.mutate(e.target.checked)} data-testid="liveness-toggle" />
        Check whether found secrets are still live
      </label>
      <p className="muted" role="status">
        {enabled ? "On: new findings are checked after each scan and open ones every day." : "Off: no provider is contacted; findings stay “unknown”."}
        {!canWrite ? " Only admins and owners can change this." : null}
      </p>
      {m.isError ? (
        <p className="alert error" role="alert">
          {m.error instanceof ApiError ? m.error.message : "Could not save the setting"}
        </p>
      ) : null}
    </div>
  );
}
