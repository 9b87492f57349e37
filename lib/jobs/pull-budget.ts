// Keeps the installation under the Docker Hub pull budget. The registry reports a sliding window
// (ratelimit-limit "100;w=21600", ratelimit-remaining); when the remaining budget falls to the
// reserve, image scans wait for roughly the time the window needs to hand back enough pulls.
// Fails open when the registry reports nothing (self-hosted registries, authenticated mirrors).
import type { RateLimitState } from "@/lib/hub/types";

export const MAX_PULL_WAIT_MS = 15 * 60_000;

export function pullBudgetDelayMs(state: RateLimitState | null | undefined, reserve: number): number {
  if (!state || state.pullRemaining === null || state.pullLimit === null) return 0;
  if (state.pullRemaining > reserve) return 0;
  const windowMs = (state.pullWindowSeconds ?? 21_600) * 1000;
  // pulls come back at about limit/window; wait for the deficit plus one to return
  const perPullMs = windowMs / Math.max(1, state.pullLimit);
  const deficit = reserve - state.pullRemaining + 1;
  return Math.min(MAX_PULL_WAIT_MS, Math.max(1000, Math.ceil(perPullMs * deficit)));
}
