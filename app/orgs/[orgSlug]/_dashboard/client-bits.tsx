"use client";
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { api } from "@/app/_lib/api-client";
import { signatureOf } from "./format";

export function PrintButton() {
  return (
    <button type="button" className="secondary no-print" onClick={() => window.print()}>
      Print board report
    </button>
  );
}

/**
 * Keeps a server-rendered dashboard fresh: polls a cheap JSON endpoint with TanStack Query and
 * re-renders the server components when the figures change (new scans, another analyst's triage).
 */
export function LiveRefresh({ queryKey, url, signature, intervalMs = 30_000 }: { queryKey: readonly unknown[]; url: string; signature: string; intervalMs?: number }) {
  const router = useRouter();
  const first = useRef(signature);
  const q = useQuery({
    queryKey,
    queryFn: () => api<Record<string, unknown>>(url),
    refetchInterval: intervalMs,
    refetchIntervalInBackground: false,
  });
  useEffect(() => {
    first.current = signature;
  }, [signature]);
  useEffect(() => {
    if (!q.data) return;
    const sig = signatureOf(q.data);
    if (sig !== first.current) {
      first.current = sig;
      router.refresh();
    }
  }, [q.data, router]);
  return q.isError ? (
    <span className="badge warn no-print" role="status">
      Live refresh paused
    </span>
  ) : null;
}
