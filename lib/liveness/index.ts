// Public API of lib/liveness: checks whether found secrets are still live.
export type { Liveness, VerifyOutcome } from "./types";
export { VERIFIERS, VERIFIABLE_DETECTORS, hasVerifier, verifierFor, type VerifierDef } from "./verifiers";
export { createVerifierClient, type VerifierClient, type VerifierClientOptions } from "./verify";
export { parseVerifierBaseUrls, VERIFIER_PROVIDERS, type VerifierBaseUrls, type VerifierProvider } from "./config";
export { Keyring, SealError, type SealedValue, type SecretMaterial } from "./seal";
export { createSecretCapture, type SecretCapture, type SealedCapture } from "./capture";
export { purgeOrphanedSeals, saveSealedSecrets, selectFindingsToVerify, verifyFinding, type VerifyReason, type VerifyResult } from "./store";
export {
  DEFAULT_LIVENESS_SETTINGS,
  getLivenessSettings,
  livenessSettingsFrom,
  prepareFindingVerification,
  revocationChecks,
  updateLivenessSettings,
  verifierCatalogue,
  type LivenessSettings,
} from "./settings";
