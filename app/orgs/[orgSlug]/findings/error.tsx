"use client";
import { ErrorState } from "../_dashboard/states";

export default function Error({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorState error={error} reset={reset} what="findings" />;
}
