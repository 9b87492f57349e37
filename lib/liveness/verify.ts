// Runs one verifier check with the process-wide limits: a global concurrency cap, a per-provider
// cap (so one slow provider cannot hold every slot), a deadline and a bounded body. The outcome
// never carries the secret; a failure is reduced to a short reason.
import { Semaphore } from "@/lib/hub/semaphore";
import type { VerifierBaseUrls } from "./config";
import { probe, ProbeError } from "./http";
import type { SecretMaterial } from "./seal";
import { unknown, type VerifyOutcome } from "./types";
import { baseUrlFor, verifierFor } from "./verifiers";

export interface VerifierClientOptions {
  baseUrls?: VerifierBaseUrls;
  timeoutMs?: number;
  maxBodyBytes?: number;
  concurrency?: number;
  perProviderConcurrency?: number;
  now?: () => Date;
}

export interface VerifierClient {
  verify(detector: string, material: SecretMaterial, signal?: AbortSignal): Promise<VerifyOutcome>;
}

export function createVerifierClient(opts: VerifierClientOptions = {}): VerifierClient {
  const global = new Semaphore(opts.concurrency ?? 4);
  const perProvider = new Map<string, Semaphore>();
  const baseUrls = opts.baseUrls ?? {};
  const now = opts.now ?? (() => new Date());
  return {
    async verify(detector, material, signal) {
      const v = verifierFor(detector);
      if (!v) return unknown("no verifier for this detector");
      let req: ReturnType<typeof v.request>;
      try {
        req = v.request(material, baseUrlFor(v, baseUrls), now());
      } catch {
        return unknown("check could not be prepared");
      }
      if (!("method" in req)) return req;
      let sem = perProvider.get(v.provider);
      if (!sem) perProvider.set(v.provider, (sem = new Semaphore(opts.perProviderConcurrency ?? 2)));
      const releaseGlobal = await global.acquire(signal);
      try {
        const release = await sem.acquire(signal);
        try {
          const res = await probe(req, { timeoutMs: opts.timeoutMs ?? 10_000, maxBodyBytes: opts.maxBodyBytes ?? 16 * 1024, signal });
          return v.classify(res);
        } catch (e) {
          if (e instanceof ProbeError) return unknown(e.kind === "timeout" ? "timed out" : "unreachable");
          return unknown("check failed");
        } finally {
          release();
        }
      } finally {
        releaseGlobal();
      }
    },
  };
}
