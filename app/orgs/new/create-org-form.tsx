"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api, ApiError } from "@/app/_lib/api-client";

export function CreateOrgForm() {
  const router = useRouter();
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    setError(null);
    const name = String(new FormData(e.currentTarget).get("name") ?? "");
    try {
      const { org } = await api<{ org: { slug: string } }>("/api/v1/orgs", { method: "POST", body: { name } });
      router.push(`/orgs/${org.slug}`);
      router.refresh();
    } catch (err) {
      setPending(false);
      setError(err instanceof ApiError ? err : new ApiError(0, "NETWORK", "Could not reach the server"));
    }
  }
  const nameErr = error?.issueFor("name");
  return (
    <form className="stack" onSubmit={onSubmit} noValidate>
      {error && !nameErr && (
        <p className="alert error" role="alert">
          {error.message}
        </p>
      )}
      <label>
        Organisation name
        <input name="name" required maxLength={80} placeholder="Acme Rockets" aria-invalid={nameErr ? true : undefined} />
        {nameErr && (
          <span className="field-error" role="alert">
            {nameErr}
          </span>
        )}
      </label>
      <button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create organisation"}
      </button>
    </form>
  );
}
