import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { discoverySettingsFrom, parseDiscoverySettingsInput } from "./settings";
import { DEFAULT_BUDGET, DEFAULT_THRESHOLDS } from "./types";

describe("discovery settings", () => {
  it("merges stored thresholds and budget with the defaults", () => {
    const s = discoverySettingsFrom({ other: 1, discovery: { thresholds: { likely: 0.9, review: 0.6 }, budget: { maxSearches: 5 } } });
    expect(s.thresholds).toEqual({ likely: 0.9, review: 0.6 });
    expect(s.budget).toEqual({ ...DEFAULT_BUDGET, maxSearches: 5 });
    expect(discoverySettingsFrom(null)).toEqual({ thresholds: DEFAULT_THRESHOLDS, budget: DEFAULT_BUDGET });
    // a corrupt stored value never stops discovery
    expect(discoverySettingsFrom({ discovery: { thresholds: { likely: 2 } } })).toEqual({ thresholds: DEFAULT_THRESHOLDS, budget: DEFAULT_BUDGET });
  });
  it("rejects bad input for the settings API with field paths", () => {
    try {
      parseDiscoverySettingsInput({ thresholds: { likely: 0.5, review: 0.7 }, budget: { maxSearches: -1 } });
      throw new Error("expected rejection");
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).issues!.map((i) => i.path).sort()).toEqual(["budget.maxSearches", "thresholds.review"]);
    }
  });
});
