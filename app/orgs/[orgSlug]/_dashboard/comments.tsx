"use client";
// Comments on a finding, account or case (TanStack Query; optimistic append, rolled back on error).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api, ApiError } from "@/app/_lib/api-client";
import { fmt } from "./format";

interface Comment {
  id: string;
  body: string;
  authorEmail: string;
  createdAt: string;
}

export function Comments({ orgSlug, targetType, targetId, canWrite, currentEmail }: { orgSlug: string; targetType: "finding" | "account" | "case"; targetId: string; canWrite: boolean; currentEmail: string }) {
  const qc = useQueryClient();
  const key = [orgSlug, "comments", targetType, targetId];
  const id = useId();
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const q = useQuery({
    queryKey: key,
    queryFn: () => api<{ comments: Comment[] }>(`/api/v1/orgs/${orgSlug}/comments?targetType=${targetType}&targetId=${encodeURIComponent(targetId)}`),
  });
  const add = useMutation({
    mutationFn: (text: string) => api<Comment>(`/api/v1/orgs/${orgSlug}/comments`, { method: "POST", body: { targetType, targetId, body: text } }),
    onMutate: async (text) => {
      await qc.cancelQueries({ queryKey: key });
      const prev = qc.getQueryData<{ comments: Comment[] }>(key);
      qc.setQueryData<{ comments: Comment[] }>(key, (old) => ({
        comments: [...(old?.comments ?? []), { id: `pending-${Date.now()}`, body: text, authorEmail: currentEmail, createdAt: new Date().toISOString() }],
      }));
      setBody("");
      return { prev, text };
    },
    onError: (e, _text, ctx) => {
      if (ctx) {
        qc.setQueryData(key, ctx.prev);
        setBody(ctx.text);
      }
      setError(e instanceof ApiError ? (e.issues[0]?.message ?? e.message) : "Could not add the comment");
    },
    onSuccess: () => setError(null),
    onSettled: () => qc.invalidateQueries({ queryKey: key }),
  });
  const comments = q.data?.comments ?? [];
  return (
    <div>
      {q.isLoading ? (
        <p className="muted" role="status">
          Loading comments…
        </p>
      ) : q.isError ? (
        <p className="alert error">Could not load comments.</p>
      ) : comments.length === 0 ? (
        <p className="muted">No comments yet.</p>
      ) : (
        <ul className="timeline">
          {comments.map((c) => (
            <li key={c.id}>
              <time dateTime={c.createdAt}>{fmt.dateTime(c.createdAt)}</time> · <strong>{c.authorEmail}</strong>
              <div style={{ whiteSpace: "pre-wrap" }}>{c.body}</div>
            </li>
          ))}
        </ul>
      )}
      {canWrite ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (body.trim()) add.mutate(body.trim());
          }}
        >
          <label htmlFor={id}>Add a comment</label>
          <textarea id={id} rows={2} value={body} maxLength={5000} onChange={(e) => setBody(e.target.value)} />
          {error ? (
            <p className="field-error" role="alert">
              {error}
            </p>
          ) : null}
          <div>
            <button type="submit" disabled={add.isPending || !body.trim()}>
              Comment
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
