// Public API of lib/discovery: import from "@/lib/discovery".
export * from "./types";
export { parseIdentity, parseIdentityJson, formatIdentityErrors, IdentityInputSchema } from "./identity-input";
export { compileEmailPattern, emailPatternProblem } from "./email-pattern";
export { buildSearchPlan, nameTerms, isGeneric, GENERIC_NAMES } from "./terms";
export type { SearchPlan, PlannedSearch, PlannedLookup, NameTerm } from "./terms";
export { buildMatchContext, profileEvidence, nameEvidence, contentEvidence, configEvidence, hintEvidence, decodeAwsAccountId, DEFAULT_WEIGHTS } from "./evidence";
export type { EvidenceWeights, MatchContext } from "./evidence";
export { scoreEvidence, statusFor, explain, NEGATIVE_TYPES } from "./scoring";
export { parseDomainAudit, parseCsv, formatAuditIssues } from "./domain-audit";
export type { AuditIssue, DomainAuditParse } from "./domain-audit";
export { runDiscovery, pickTags } from "./run";
export type { RunDiscoveryOptions, DiscoveryResult, DiscoveryError, DiscoveryStats, LightScanFn } from "./run";
export { createLightScanner } from "./light-scan";
export { createHubClients } from "./hub-clients";
export { upsertCandidates, importDomainAudit, loadDomainAudit, loadPriorDismissed, loadIdentity, identityFromItems, DECIDED_STATUSES } from "./store";
export type { UpsertResult, DomainAuditImport } from "./store";
export { DiscoverySettingsSchema, parseDiscoverySettingsInput, discoverySettingsFrom } from "./settings";
export type { DiscoverySettings, DiscoverySettingsInput } from "./settings";
