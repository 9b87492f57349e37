// Shared shapes of lib/discovery. Everything here is plain data so the jobs pipeline can persist
// it (HubAccount.evidence / profile are JSON) and the UI can render it without this module.

export type KnownNameCategory = "brand" | "product" | "host" | "github_org" | "other";

export interface KnownName {
  name: string;
  category: KnownNameCategory;
  notes?: string;
}

export interface CloudAccountId {
  provider: "aws" | "gcp" | "azure";
  id: string;
}

/** An organisation's identity, validated and normalised (see identity-input.ts). */
export interface Identity {
  /** lowercase registrable domains, e.g. "acme-rockets.com" */
  domains: string[];
  /** lowercase patterns such as "*@acme-rockets.com" or "first.last@acmerockets.io" */
  emailPatterns: string[];
  knownNames: KnownName[];
  /** lowercase Docker Hub namespaces that are already sanctioned (inventory) */
  sanctioned: string[];
  /** names that collide with unrelated companies (namespaces or company names), lowercase */
  exclusions: string[];
  cloudAccountIds: CloudAccountId[];
  /** extra package scopes such as "@acme-rockets" (known names already imply their own) */
  packageScopes?: string[];
}

export type EvidenceType =
  | "domain_audit"
  | "profile_company"
  | "profile_url"
  | "profile_full_name"
  | "profile_email"
  | "content_email"
  | "content_email_domain"
  | "content_host"
  | "git_remote"
  | "package_scope"
  | "aws_account"
  | "name_exact"
  | "name_contains"
  | "sanctioned"
  // negative evidence: multiplies the confidence down
  | "exclusion"
  | "previously_dismissed"
  | "official_image"
  | "verified_publisher"
  | "other_company"
  | "other_owner"
  | "other_website"
  | "disclaimer"
  | "lookalike_domain";

export interface Evidence {
  type: EvidenceType;
  /** positive items: probability-like weight in (0,1]; negative items: factor in [0,1) */
  weight: number;
  /** the exact matched value (an email, a host, a company string, …) */
  value: string;
  /** where it was seen, e.g. "profile.company" or "image acme/api:latest label maintainer" */
  source: string;
  /** one human sentence for the UI */
  detail: string;
  /** filled by scoring: how much this item moved the confidence (positive or negative) */
  contribution?: number;
}

export type CandidateStatus = "candidate" | "review" | "likely" | "sanctioned";

export interface CandidateProfile {
  type: "user" | "organization" | "unknown";
  fullName: string | null;
  company: string | null;
  location: string | null;
  profileUrl: string | null;
  gravatarEmail: string | null;
  dateJoined: string | null;
  badge: string | null;
}

export interface CandidateRepo {
  name: string;
  pullCount: number;
  lastUpdated: string | null;
  /** tag looked at by the light scan, if any */
  scannedTag: string | null;
}

export interface Candidate {
  namespace: string;
  status: CandidateStatus;
  confidence: number;
  evidence: Evidence[];
  profile: CandidateProfile | null;
  /** why we looked at it: search terms or "direct lookup" or "domain audit" */
  foundBy: string[];
  repoCount: number;
  pullCount: number;
  lastPushAt: string | null;
  repos: CandidateRepo[];
}

export interface Budget {
  /** Hub search calls per run */
  maxSearches: number;
  /** profile look-ups (getAccount) per run, direct namespace probes included */
  maxProfiles: number;
  /** namespace repository listings per run */
  maxListings: number;
  /** repositories per candidate whose README and newest tag config are read */
  maxReposPerCandidate: number;
  /** image configs fetched per run (each resolve is a registry manifest GET = one pull) */
  maxImageConfigs: number;
  /** tags per repository whose config (and top layers) are read: "latest" and the newest */
  maxTagsPerRepo: number;
  /** search results asked for per query */
  resultsPerSearch: number;
}

export interface Thresholds {
  likely: number;
  review: number;
}

export const DEFAULT_BUDGET: Budget = {
  maxSearches: 24,
  maxProfiles: 60,
  maxListings: 40,
  maxReposPerCandidate: 2,
  maxImageConfigs: 40,
  maxTagsPerRepo: 2,
  resultsPerSearch: 50,
};

export const DEFAULT_THRESHOLDS: Thresholds = { likely: 0.8, review: 0.5 };

export interface PlanWarning {
  code: "generic_name" | "short_name" | "no_strong_terms" | "budget_truncated";
  value: string;
  message: string;
}

/** Docker Business domain-audit row, validated. */
export interface DomainAuditRow {
  username: string;
  name: string | null;
  email: string;
  dateJoined: string | null;
}

export interface PriorDismissal {
  namespace: string;
  reason?: string | null;
}
