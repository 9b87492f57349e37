// Every job definition, in one list both providers register (no hand-kept list elsewhere).
import type { AnyJobDefinition } from "../define";
import { accountScan } from "./account-scan";
import { imageScan } from "./image-scan";
import { dailyLiveness, livenessVerify } from "./liveness";
import { orgDiscovery } from "./org-discovery";
import { dailyPosture, dailyRediscovery, hourlyNewTags } from "./scheduled";

export const ALL_JOBS = [orgDiscovery, accountScan, imageScan, dailyRediscovery, hourlyNewTags, dailyPosture, livenessVerify, dailyLiveness] as unknown as readonly AnyJobDefinition[];

export { EVENTS } from "./events";
