// Per-organisation discovery settings, kept under Organization.settings.discovery:
// { thresholds: {likely, review}, budget: {maxSearches, …} }. Invalid or missing values fall back
// to the defaults (a bad stored setting must not stop discovery); parseDiscoverySettingsInput is
// the strict variant for the settings API.
import { z } from "zod";
import { invalidInput } from "../errors";
import { DEFAULT_BUDGET, DEFAULT_THRESHOLDS, type Budget, type Thresholds } from "./types";

const count = (max: number) => z.number().int().min(0).max(max);

export const DiscoverySettingsSchema = z
  .object({
    thresholds: z
      .object({ likely: z.number().min(0).max(1), review: z.number().min(0).max(1) })
      .strict()
      .refine((t) => t.review <= t.likely, { message: "the review threshold must not be above the likely threshold", path: ["review"] })
      .optional(),
    budget: z
      .object({
        maxSearches: count(200),
        maxProfiles: count(2000),
        maxListings: count(2000),
        maxReposPerCandidate: count(50),
        maxImageConfigs: count(2000),
        maxTagsPerRepo: count(10),
        resultsPerSearch: z.number().int().min(1).max(100),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();

export type DiscoverySettingsInput = z.infer<typeof DiscoverySettingsSchema>;

export interface DiscoverySettings {
  thresholds: Thresholds;
  budget: Budget;
}

/** Strict: for the settings API. Throws AppError INVALID_INPUT with field issues. */
export function parseDiscoverySettingsInput(input: unknown): DiscoverySettings {
  const r = DiscoverySettingsSchema.safeParse(input);
  if (!r.success) throw invalidInput(r.error.issues, "The discovery settings are invalid");
  return { thresholds: { ...DEFAULT_THRESHOLDS, ...r.data.thresholds }, budget: { ...DEFAULT_BUDGET, ...r.data.budget } };
}

/** Lenient: reads Organization.settings (the whole JSON) and falls back to defaults. */
export function discoverySettingsFrom(orgSettings: unknown): DiscoverySettings {
  const raw = orgSettings && typeof orgSettings === "object" ? (orgSettings as Record<string, unknown>).discovery : undefined;
  const r = DiscoverySettingsSchema.safeParse(raw ?? {});
  if (!r.success) return { thresholds: { ...DEFAULT_THRESHOLDS }, budget: { ...DEFAULT_BUDGET } };
  return { thresholds: { ...DEFAULT_THRESHOLDS, ...r.data.thresholds }, budget: { ...DEFAULT_BUDGET, ...r.data.budget } };
}
