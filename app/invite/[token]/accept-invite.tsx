"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, ApiError } from "@/app/_lib/api-client";

export function AcceptInvite({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function accept() {
    setPending(true);
    setError(null);
    try {
      const r = await api<{ orgSlug: string }>("/api/v1/invites/accept", { method: "POST", body: { token } });
      router.push(`/orgs/${r.orgSlug}`);
      router.refresh();
    } catch (e) {
      setPending(false);
      setError(e instanceof ApiError ? e.message : "Could not join. Try again.");
    }
  }
  return (
    <div className="stack">
      <p className="muted">Signed in as {email}.</p>
      {error && (
        <p className="alert error" role="alert">
          {error}
        </p>
      )}
      <button type="button" onClick={accept} disabled={pending}>
        {pending ? "Joining…" : "Join organisation"}
      </button>
    </div>
  );
}
