// Builds the lib/hub clients discovery needs from base URLs (CLI and tests). Both clients share
// one HTTP layer so the concurrency cap and the rate-limit state are common.
import { createHubApi, createRegistryReader, HttpClient, type HttpClientOptions } from "../hub";
import type { HubApi, RegistryReader } from "../hub/types";

export interface HubClientConfig {
  hubApiUrl?: string | undefined;
  registryUrl?: string | undefined;
  searchUrl?: string | undefined;
  username?: string | undefined;
  token?: string | undefined;
  http?: HttpClientOptions;
}

export function createHubClients(cfg: HubClientConfig): { hub: HubApi; registry: RegistryReader } {
  const credentials = cfg.username && cfg.token ? { username: cfg.username, token: cfg.token } : undefined;
  const http = new HttpClient(cfg.http ?? {});
  const registry = createRegistryReader({
    http,
    ...(cfg.registryUrl ? { registryUrl: cfg.registryUrl } : {}),
    ...(credentials ? { credentials } : {}),
  });
  const hub = createHubApi({
    http,
    ...(cfg.hubApiUrl ? { hubApiUrl: cfg.hubApiUrl } : {}),
    ...(cfg.searchUrl ? { searchUrl: cfg.searchUrl } : {}),
    ...(credentials ? { credentials } : {}),
  });
  return { hub, registry };
}
