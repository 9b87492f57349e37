// Contracts of lib/liveness: one outcome per check, never carrying the secret.

export type Liveness = "live" | "revoked" | "unknown";

export interface VerifyOutcome {
  liveness: Liveness;
  /** short, secret-free reason shown in the UI: "authenticated", "rejected (401)", "rate limited", … */
  reason: string;
}

export const live = (reason: string): VerifyOutcome => ({ liveness: "live", reason });
export const revoked = (reason: string): VerifyOutcome => ({ liveness: "revoked", reason });
export const unknown = (reason: string): VerifyOutcome => ({ liveness: "unknown", reason });
