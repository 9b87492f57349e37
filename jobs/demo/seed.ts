// `npm run demo` helper: on the demo's fresh embedded database, creates the demo user, the
// "Acme Rockets" organisation with the world's identity, and queues discovery. Accounts,
// findings and risk then come from real scans by the app's job runner — nothing else is seeded.
// Refuses to run against PostgreSQL (DATABASE_URL): the demo only ever touches its own PGlite.
import { randomBytes } from "node:crypto";
import { getDbHandle } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";
import { ALL_JOBS } from "../definitions";
import { EVENTS } from "../definitions/events";
import { enqueueEvents } from "../providers/embedded";

interface Identity {
  name?: string;
  domains?: string[];
  emailPatterns?: string[];
  knownNames?: string[];
  githubOrgs?: string[];
  sanctioned?: string[];
  exclusions?: string[];
  cloudAccountIds?: string[];
}

async function main() {
  if (process.env.DATABASE_URL) throw new Error("the demo seeds only its own embedded database: unset DATABASE_URL");
  const identity = JSON.parse(process.argv[2] ?? "{}") as Identity;
  const email = "demo@acme-rockets.example";
  const password = `Demo-${randomBytes(12).toString("base64url")}`;
  const h = await getDbHandle();
  const db = h.prisma;
  const user = await db.user.upsert({
    where: { email },
    create: { email, name: "Demo Admin", passwordHash: await hashPassword(password) },
    update: { passwordHash: await hashPassword(password), failedLogins: 0, lockedUntil: null },
  });
  const slug = "acme-rockets";
  const org = await db.organization.upsert({ where: { slug }, create: { slug, name: identity.name ?? "Acme Rockets" }, update: {} });
  await db.membership.upsert({
    where: { orgId_userId: { orgId: org.id, userId: user.id } },
    create: { orgId: org.id, userId: user.id, role: "owner" },
    update: { role: "owner" },
  });
  const rows = [
    ...(identity.domains ?? []).map((v) => ({ kind: "domain" as const, value: v, category: null })),
    ...(identity.emailPatterns ?? []).map((v) => ({ kind: "email_pattern" as const, value: v, category: null })),
    ...(identity.knownNames ?? []).map((v) => ({ kind: "known_name" as const, value: v, category: "brand" })),
    ...(identity.githubOrgs ?? []).map((v) => ({ kind: "known_name" as const, value: v, category: "github_org" })),
    ...(identity.sanctioned ?? []).map((v) => ({ kind: "sanctioned_namespace" as const, value: v, category: null })),
    ...(identity.exclusions ?? []).map((v) => ({ kind: "exclusion" as const, value: v, category: null })),
    ...(identity.cloudAccountIds ?? []).map((v) => ({ kind: "cloud_account_id" as const, value: v, category: "aws" })),
  ];
  await db.identityItem.createMany({
    data: rows.map((r) => ({ orgId: org.id, kind: r.kind, value: r.value, normalized: r.value.toLowerCase(), category: r.category, createdById: user.id })),
    skipDuplicates: true,
  });
  await enqueueEvents(db, ALL_JOBS, [{ name: EVENTS.discoveryRequested, data: { orgId: org.id, requestedBy: user.id, reason: "demo" } }]);
  await h.close();
  process.stdout.write(`${JSON.stringify({ email, password, orgSlug: slug })}\n`);
}

main().catch((e) => {
  process.stderr.write(`demo seed failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
