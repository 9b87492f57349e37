"use client";
// Shared loading and error states for the dashboard pages.
import { useEffect } from "react";

export function LoadingState({ what }: { what: string }) {
  return (
    <div role="status" aria-live="polite" className="card">
      <p className="muted">Loading {what}…</p>
      <div className="progress" aria-hidden="true">
        <span style={{ width: "35%" }} />
      </div>
    </div>
  );
}

export function ErrorState({ error, reset, what }: { error: Error & { digest?: string }; reset: () => void; what: string }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <section className="card" role="alert">
      <h1>Could not load {what}</h1>
      <p className="muted">Something went wrong on our side{error.digest ? ` (reference ${error.digest})` : ""}. Your data is unchanged.</p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
