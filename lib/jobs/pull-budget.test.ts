import { describe, expect, it } from "vitest";
import type { RateLimitState } from "@/lib/hub/types";
import { MAX_PULL_WAIT_MS, pullBudgetDelayMs } from "./pull-budget";

const st = (o: Partial<RateLimitState>): RateLimitState => ({
  pullLimit: 100,
  pullRemaining: 50,
  pullWindowSeconds: 600,
  apiLimit: null,
  apiRemaining: null,
  apiResetAt: null,
  updatedAt: 0,
  ...o,
});

describe("pullBudgetDelayMs", () => {
  it("does not wait with budget left or when the registry reports nothing", () => {
    expect(pullBudgetDelayMs(st({ pullRemaining: 50 }), 10)).toBe(0);
    expect(pullBudgetDelayMs(st({ pullRemaining: null, pullLimit: null }), 10)).toBe(0);
    expect(pullBudgetDelayMs(undefined, 10)).toBe(0);
  });
  it("waits for the deficit to come back when at or below the reserve", () => {
    // 600 s / 100 pulls = 6 s per pull; remaining 8, reserve 10 → 3 pulls
    expect(pullBudgetDelayMs(st({ pullRemaining: 8 }), 10)).toBe(18_000);
    expect(pullBudgetDelayMs(st({ pullRemaining: 0 }), 10)).toBeGreaterThan(pullBudgetDelayMs(st({ pullRemaining: 9 }), 10));
  });
  it("caps the wait", () => {
    expect(pullBudgetDelayMs(st({ pullRemaining: 0, pullWindowSeconds: 21_600, pullLimit: 10 }), 10)).toBe(MAX_PULL_WAIT_MS);
  });
});
