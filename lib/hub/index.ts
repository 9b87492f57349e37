// Public API of lib/hub: import from "@/lib/hub".
export * from "./types";
export { createRegistryReader, RegistryClient, parsePlatform, formatPlatform, platformMatches, selectIndexEntries, validateRepository, validateReference } from "./registry";
export type { RegistryReaderOptions, HubCredentials } from "./registry";
export { HttpClient, HttpResponse, describeUrl, emptyRateLimitState } from "./http";
export type { HttpClientOptions, FetchLike, SleepFn } from "./http";
export { parseWwwAuthenticate, bearerChallenge, parseRateLimitHeaders, parseRetryAfterMs, parseLimitWithWindow } from "./headers";
export type { AuthChallenge, RateLimitObservation } from "./headers";
export { MEDIA_TYPES, MANIFEST_ACCEPT, isNondistributable, parseManifest, parseImageConfig, parseTokenResponse } from "./registry-schemas";
export type { ParsedManifest, IndexEntry } from "./registry-schemas";
export { digestOf, isDigest, verifyDigest, DigestVerifier } from "./digest";
export { Semaphore } from "./semaphore";
export { createHubApi, HubApiClient, validateNamespace, jwtLifetimeMs } from "./hub-api";
export type { HubApiOptions } from "./hub-api";
export {
  parsePullCount,
  parseSearchV4,
  parseSearchV2Items,
  parseSearchV1,
  parseRepositoryItems,
  parseRepositoryDetails,
  parseAccount,
  parseTagItems,
  parsePage,
} from "./hub-schemas";
export { hubClientsFromEnv } from "./from-env";
