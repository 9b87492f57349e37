// Builds the Hub API client and registry reader from validated configuration (lib/env.ts),
// sharing one HTTP layer so the concurrency cap and the rate-limit state are global.
import type { Env } from "@/lib/env";
import { createHubApi, type HubApiClient } from "./hub-api";
import { HttpClient, type HttpClientOptions } from "./http";
import { createRegistryReader, type RegistryClient } from "./registry";

type HubEnv = Pick<
  Env,
  "STOWAWAY_HUB_API_URL" | "STOWAWAY_REGISTRY_URL" | "STOWAWAY_SEARCH_URL" | "STOWAWAY_HUB_USERNAME" | "STOWAWAY_HUB_TOKEN" | "STOWAWAY_HUB_CONCURRENCY"
>;

export function hubClientsFromEnv(env: HubEnv, overrides: HttpClientOptions = {}): { hub: HubApiClient; registry: RegistryClient; http: HttpClient } {
  const http = new HttpClient({ concurrency: env.STOWAWAY_HUB_CONCURRENCY, ...overrides });
  const credentials =
    env.STOWAWAY_HUB_USERNAME && env.STOWAWAY_HUB_TOKEN ? { username: env.STOWAWAY_HUB_USERNAME, token: env.STOWAWAY_HUB_TOKEN } : undefined;
  return {
    http,
    hub: createHubApi({ http, hubApiUrl: env.STOWAWAY_HUB_API_URL, searchUrl: env.STOWAWAY_SEARCH_URL, credentials }),
    registry: createRegistryReader({ http, registryUrl: env.STOWAWAY_REGISTRY_URL, credentials }),
  };
}
