// Query-key factory: every key starts with the organisation slug.
export const orgKeys = {
  all: (orgSlug: string) => [orgSlug] as const,
  identity: (orgSlug: string) => [orgSlug, "identity"] as const,
  members: (orgSlug: string) => [orgSlug, "members"] as const,
  invites: (orgSlug: string) => [orgSlug, "invites"] as const,
  audit: (orgSlug: string) => [orgSlug, "audit"] as const,
};
