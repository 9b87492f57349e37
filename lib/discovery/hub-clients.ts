// Builds the lib/hub clients discovery needs from base URLs (CLI and tests). Both clients share
// one HTTP layer so the concurrency cap and the rate-limit state are common.
import * as hubLib from "../hub";
import type { HubApi, RegistryReader } from "../hub/types";

export interface HubClientConfig {
  hubApiUrl?: string | undefined;
  registryUrl?: string | undefined;
  searchUrl?: string | undefined;
  username?: string | undefined;
  token?: string | undefined;
}

export async function createHubClients(cfg: HubClientConfig): Promise<{ hub: HubApi; registry: RegistryReader }> {
  const credentials = cfg.username && cfg.token ? { username: cfg.username, token: cfg.token } : undefined;
  const lib = hubLib as unknown as Record<string, unknown>;
  const http = new hubLib.HttpClient({});
  const registry = hubLib.createRegistryReader({
    ...(cfg.registryUrl ? { registryUrl: cfg.registryUrl } : {}),
    ...(credentials ? { credentials } : {}),
    http,
  });
  const createHubApi = lib.createHubApi as ((o: Record<string, unknown>) => HubApi) | undefined;
  if (typeof createHubApi !== "function") throw new Error("lib/hub does not provide createHubApi yet");
  const hub = createHubApi({
    ...(cfg.hubApiUrl ? { hubApiUrl: cfg.hubApiUrl } : {}),
    ...(cfg.searchUrl ? { searchUrl: cfg.searchUrl } : {}),
    ...(credentials ? { credentials } : {}),
    http,
  });
  return { hub, registry };
}
