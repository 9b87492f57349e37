// Event names and payloads. Payloads carry ids only (never secrets, never image content).
import { z } from "zod";

const id = z.string().min(1).max(64);

export const EVENTS = {
  discoveryRequested: "org/discovery.requested",
  accountScanRequested: "account/scan.requested",
  imageScanRequested: "image/scan.requested",
  livenessRequested: "finding/liveness.requested",
} as const;

export const ZDiscoveryRequested = z.object({
  orgId: id,
  requestedBy: z.string().max(64).nullish(),
  reason: z.enum(["manual", "scheduled", "demo", "identity-changed"]).default("manual"),
});

export const ZAccountScanRequested = z.object({
  orgId: id,
  accountId: id,
  requestedBy: z.string().max(64).nullish(),
  reason: z.enum(["discovery", "manual", "new-tags", "claim", "offboarding"]).default("manual"),
});

export const ZImageScanRequested = z.object({
  orgId: id,
  accountId: id,
  imageId: id,
  /** "namespace/repo" */
  repository: z.string().min(3).max(512),
  tag: z.string().max(128).nullable(),
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
});

/** Verify findings: one (manual), those of a scanned digest (scan), or every open one (daily). */
export const ZLivenessRequested = z.object({
  orgId: id,
  reason: z.enum(["scan", "daily", "manual"]),
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/).optional(),
  findingId: id.optional(),
  requestedBy: z.string().max(64).nullish(),
});

export type DiscoveryRequested = z.infer<typeof ZDiscoveryRequested>;
export type AccountScanRequested = z.infer<typeof ZAccountScanRequested>;
export type ImageScanRequested = z.infer<typeof ZImageScanRequested>;
export type LivenessRequested = z.infer<typeof ZLivenessRequested>;
