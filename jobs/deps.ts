// What job handlers need from the outside world, injected so tests (and the demo) can point the
// pipeline at a simulator and a throwaway database without touching process-wide singletons.
import type { PrismaClient } from "@/lib/db/generated/client";
import type { HubApi, RegistryReader } from "@/lib/hub/types";
import type { ImageScanResult } from "@/lib/scan/types";
import type { DetectFn } from "@/lib/liveness/capture";
import type { Keyring } from "@/lib/liveness/seal";
import type { VerifierClient } from "@/lib/liveness/verify";

export interface DiscoveredCandidate {
  namespace: string;
  [key: string]: unknown;
}

export interface DiscoveryOutcome {
  candidates: number;
  /** accounts (ids) discovery put in the scan queue: likely shadow and sanctioned */
  warnings?: string[];
}

export interface JobDeps {
  db: PrismaClient;
  /** runs the discovery plan for one organisation and stores candidates with evidence */
  discover(input: { db: PrismaClient; orgId: string; hub: HubApi; registry: RegistryReader }): Promise<DiscoveryOutcome>;
  hub: HubApi;
  registry: RegistryReader;
  scanImage(ref: string, opts: { registry: RegistryReader; platform?: string; detect?: DetectFn }): Promise<ImageScanResult>;
  /**
   * Liveness verification (lib/liveness): the keyring that seals raw values of verifiable secrets
   * at scan time, and the verifier client. Absent: nothing is captured and nothing is verified.
   */
  liveness?: { ring: Keyring; client: VerifierClient; detect: DetectFn };
  config: {
    /** tags scanned per repository besides `latest`: the N most recently pushed */
    recentTags: number;
    /** keep this many registry pulls in reserve; below it image scans wait for the window */
    pullReserve: number;
  };
  now(): Date;
}

let factory: (() => Promise<JobDeps>) | undefined;
let cached: Promise<JobDeps> | undefined;

/** Installs how deps are built (tests and the demo call this; default: from env). */
export function setJobDepsFactory(f: (() => Promise<JobDeps>) | undefined): void {
  factory = f;
  cached = undefined;
}

export function getJobDeps(): Promise<JobDeps> {
  cached ??= (factory ?? defaultDeps)();
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}

async function defaultDeps(): Promise<JobDeps> {
  const { getEnv } = await import("@/lib/env");
  const { getDb } = await import("@/lib/db/client");
  const { hubClientsFromEnv } = await import("@/lib/hub/from-env");
  const { scanImage } = await import("@/lib/scan");
  const { discoverForOrg } = await import("./discover");
  const env = getEnv();
  const { hub, registry } = hubClientsFromEnv(env);
  return {
    db: await getDb(),
    hub,
    registry,
    scanImage: (ref, o) => scanImage(ref, o),
    ...(env.STOWAWAY_LIVENESS_DISABLED ? {} : { liveness: await livenessDepsFromEnv(env) }),
    discover: discoverForOrg,
    config: { recentTags: env.STOWAWAY_SCAN_RECENT_TAGS, pullReserve: 10 },
    now: () => new Date(),
  };
}

/** Liveness deps from configuration: the master key (env or <dataDir>/encryption-key) and base URLs. */
export async function livenessDepsFromEnv(
  env: Pick<import("@/lib/env").Env, "STOWAWAY_ENCRYPTION_KEY" | "STOWAWAY_ENCRYPTION_KEY_PREVIOUS" | "STOWAWAY_VERIFIER_BASE_URLS" | "dataDir">,
): Promise<NonNullable<JobDeps["liveness"]>> {
  const { resolveEncryptionKey } = await import("@/lib/auth/runtime-secrets");
  const { Keyring, createVerifierClient, parseVerifierBaseUrls } = await import("@/lib/liveness");
  const { scanText } = await import("@/lib/scan/detectors");
  const urls = parseVerifierBaseUrls(env.STOWAWAY_VERIFIER_BASE_URLS);
  return {
    // the current key seals; earlier ones (after a rotation) still open what they sealed
    ring: new Keyring([resolveEncryptionKey(env), ...(env.STOWAWAY_ENCRYPTION_KEY_PREVIOUS?.split(",") ?? [])]),
    client: createVerifierClient({ baseUrls: urls.ok ? urls.value : {} }),
    detect: scanText,
  };
}
