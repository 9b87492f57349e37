import { describe, expect, it } from "vitest";
import type { HubAccountProfile } from "../hub/types";
import {
  buildMatchContext,
  configEvidence,
  contentEvidence,
  decodeAwsAccountId,
  extractEmails,
  hintEvidence,
  nameEvidence,
  profileEvidence,
} from "./evidence";
import { parseIdentity } from "./identity-input";
import { buildSearchPlan } from "./terms";

const identity = parseIdentity({
  domains: ["acme-rockets.com", "acmerockets.io"],
  emailPatterns: ["*@acme-rockets.com", "first.last@acmerockets.io"],
  knownNames: ["Acme Rockets", { name: "acme-rockets", category: "github_org" }, { name: "build.acme.internal", category: "host" }],
  sanctioned: ["acmerockets"],
  exclusions: ["acme anvils", "acme-anvils"],
  cloudAccountIds: ["029608264753"],
});
const ctx = buildMatchContext(identity, buildSearchPlan(identity));

const profile = (p: Partial<HubAccountProfile>): HubAccountProfile => ({
  namespace: "someone",
  type: "user",
  id: null,
  fullName: null,
  company: null,
  location: null,
  profileUrl: null,
  gravatarEmail: null,
  gravatarUrl: null,
  dateJoined: null,
  badge: null,
  ...p,
});

/** Builds an AWS key id that encodes `account` (inverse of the documented decoding). */
function awsKeyFor(account: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const first6 = (BigInt(account) << 7n) | 0x2an;
  let bits = (first6 << 32n) | 0x1234abcdn;
  let out = "";
  for (let i = 0; i < 16; i++) {
    out = alphabet[Number(bits & 31n)]! + out;
    bits >>= 5n;
  }
  return `AKIA${out}`;
}

describe("profile evidence", () => {
  it("company naming us, website and email on our domains, full name", () => {
    const ev = profileEvidence(
      ctx,
      profile({ company: "Acme Rockets, Inc.", profileUrl: "https://blog.acme-rockets.com/jane", gravatarEmail: "Jane@acme-rockets.com", fullName: "Acme Rockets Platform Team" }),
    );
    expect(ev.map((e) => [e.type, e.value, e.source])).toEqual([
      ["profile_company", "Acme Rockets, Inc.", "profile.company"],
      ["profile_url", "https://blog.acme-rockets.com/jane", "profile.profile_url"],
      ["profile_email", "jane@acme-rockets.com", "profile.gravatar_email"],
      ["profile_full_name", "Acme Rockets Platform Team", "profile.full_name"],
    ]);
    expect(ev.every((e) => e.detail.length > 20)).toBe(true);
  });
  it("look-alike companies and domains are not ours", () => {
    const ev = profileEvidence(ctx, profile({ company: "Acme Widgets Ltd", profileUrl: "acme-rockets.com.evil.io", gravatarEmail: "x@acme-widgets.com" }));
    expect(ev.map((e) => e.type)).toEqual(["other_company", "other_website"]);
    // a page on a shared site (GitHub, LinkedIn) says nothing about the owner
    expect(profileEvidence(ctx, profile({ profileUrl: "https://www.linkedin.com/in/someone" }))).toEqual([]);
    expect(profileEvidence(ctx, profile({ company: "Acme Anvils" })).map((e) => e.type)).toEqual(["exclusion"]);
    expect(profileEvidence(ctx, profile({ company: "freelance" }))).toEqual([]);
  });
  it("a profile website on the company GitHub org is a git remote", () => {
    const ev = profileEvidence(ctx, profile({ profileUrl: "https://github.com/acme-rockets" }));
    expect(ev.map((e) => e.type)).toEqual(["git_remote"]);
  });
  it("verified publishers and the library namespace are negative", () => {
    expect(profileEvidence(ctx, profile({ badge: "verified_publisher" })).map((e) => e.type)).toEqual(["verified_publisher"]);
    expect(profileEvidence(ctx, profile({ namespace: "library" })).map((e) => e.type)).toEqual(["official_image"]);
  });
});

describe("name evidence", () => {
  it("exact, variant, contains, exclusion, none", () => {
    expect(nameEvidence(ctx, "acme-rockets")[0]!.type).toBe("name_exact");
    expect(nameEvidence(ctx, "acmerockets-dev")[0]!.type).toBe("name_exact");
    expect(nameEvidence(ctx, "acmerockets-dev")[0]!.detail).toMatch(/variant of/);
    expect(nameEvidence(ctx, "old-acmerockets-mirror")[0]!.type).toBe("name_contains");
    expect(nameEvidence(ctx, "acme-anvils")[0]!.type).toBe("exclusion");
    expect(nameEvidence(ctx, "jdoe42")).toEqual([]);
    // a name match alone can at most ask for a review, never make an account likely
    expect(nameEvidence(ctx, "acme-rockets")[0]!.weight).toBeLessThanOrEqual(0.5);
    // the first word of the brand matches more weakly than the full brand
    expect(nameEvidence(ctx, "acmecorp")[0]!.weight).toBeLessThan(nameEvidence(ctx, "acmerocketscorp")[0]!.weight);
  });
});

describe("content evidence", () => {
  const where = { kind: "label" as const, source: "image jd/api:latest label maintainer" };
  it("emails matching a pattern, and on a registered domain", () => {
    const ev = contentEvidence(ctx, "Jane Doe <jane.doe@acmerockets.io>, ops@acmerockets.io, ci@acme-rockets.com", where);
    expect(ev.map((e) => [e.type, e.value])).toEqual([
      ["content_email", "jane.doe@acmerockets.io"],
      ["content_email_domain", "ops@acmerockets.io"],
      ["content_email", "ci@acme-rockets.com"],
    ]);
    expect(ev[0]!.source).toBe(where.source);
  });
  it("URL credentials are never read as email addresses; the host still counts", () => {
    const ev = contentEvidence(ctx, "postgres://app:s3cr3tpw@db.internal.acme-rockets.com:5432/app", { kind: "env", source: "image x:1 env DATABASE_URL" });
    expect(ev.map((e) => [e.type, e.value])).toEqual([["content_host", "db.internal.acme-rockets.com"]]);
    expect(JSON.stringify(ev)).not.toContain("s3cr3tpw");
  });
  it("hosts under registered domains and registered internal hosts; not look-alike domains", () => {
    const ev = contentEvidence(ctx, "API=https://api.acmerockets.io/v1 CACHE=build.acme.internal X=acme-rockets.com.evil.net Y=notacme-rockets.com", where);
    expect(ev.map((e) => e.value)).toEqual(["api.acmerockets.io", "build.acme.internal"]);
    // the bare domain is weaker than an internal host, and README prose weaker than config
    const apex = contentEvidence(ctx, "see acme-rockets.com", where)[0]!;
    const readme = contentEvidence(ctx, "api.acmerockets.io", { kind: "readme", source: "README of x/y" })[0]!;
    expect(apex.weight).toBeLessThan(ev[0]!.weight);
    expect(readme.weight).toBeLessThan(ev[0]!.weight);
  });
  it("git remotes under the company's GitHub org", () => {
    const ev = contentEvidence(ctx, "https://github.com/acme-rockets/launch-control.git", { kind: "label", source: "image a/b:1 label org.opencontainers.image.source" });
    expect(ev.map((e) => [e.type, e.value])).toEqual([["git_remote", "github.com/acme-rockets/launch-control.git"]]);
    expect(contentEvidence(ctx, "git@github.com:acme-rockets/x.git", where).map((e) => e.type)).toEqual(["git_remote"]);
    expect(contentEvidence(ctx, "https://github.com/acme-rocketsfan/x", where)).toEqual([]);
  });
  it("package scopes", () => {
    const ev = contentEvidence(ctx, '{"dependencies":{"@acme-rockets/telemetry":"^1.2.0"}}', { kind: "file", source: "file app/package.json in a/b:1" });
    expect(ev.map((e) => [e.type, e.value])).toEqual([["package_scope", "@acme-rockets/"]]);
    expect(contentEvidence(ctx, "import io.acmerockets.telemetry.Client;", where).map((e) => e.type)).toEqual(["package_scope"]);
    expect(contentEvidence(ctx, "me@acme-rockets/ is not a scope", where).map((e) => e.type)).not.toContain("package_scope");
  });
  it("AWS account ids decoded from key ids, only when registered, never the key", () => {
    expect(decodeAwsAccountId("ASIAQNZGKIQY56JQ7WML")).toBe("029608264753");
    expect(decodeAwsAccountId("AKIA123")).toBeNull();
    // fifth character I: legacy ids and current ids of accounts 549755813888–687194767359 look alike;
    // the latter must still match a registered account
    const iKey = awsKeyFor("562039481127");
    expect(iKey[4]).toBe("I");
    expect(decodeAwsAccountId(iKey)).toBe("562039481127");
    const ours = awsKeyFor("029608264753");
    expect(decodeAwsAccountId(ours)).toBe("029608264753");
    const ev = contentEvidence(ctx, `AWS_ACCESS_KEY_ID=${ours}`, { kind: "env", source: "image a/b:1 env AWS_ACCESS_KEY_ID" });
    expect(ev.map((e) => [e.type, e.value])).toEqual([["aws_account", "029608264753"]]);
    expect(JSON.stringify(ev)).not.toContain(ours);
    expect(contentEvidence(ctx, `K=${awsKeyFor("111122223333")}`, where)).toEqual([]);
  });
  it("hostile content stays bounded", () => {
    // glued-together domains: every occurrence would otherwise expand over the whole text
    const glued = "acme-rockets.com".repeat(40_000);
    const ev = contentEvidence(ctx, glued, { kind: "file", source: "file x" });
    expect(ev.length).toBeLessThan(5);
    // huge text is cut at the cap; evidence beyond it is not read
    const big = `${"x ".repeat(200_000)} ops@acme-rockets.com`;
    expect(contentEvidence(ctx, big, { kind: "file", source: "file y" })).toEqual([]);
    expect(contentEvidence(ctx, "@".repeat(100_000) + "a@acme-rockets.com", { kind: "file", source: "f" }).length).toBeLessThanOrEqual(1);
  });
  it("extractEmails is bounded and skips credentials", () => {
    expect(extractEmails("a@b.co user:pw@host.io //x@y.io").map((e) => e.email)).toEqual(["a@b.co"]);
    expect(extractEmails("@".repeat(5000))).toEqual([]);
  });
});

describe("negative content evidence", () => {
  it("disclaimers in READMEs and descriptions", () => {
    const ev = contentEvidence(ctx, "Unofficial fan club. Not affiliated with Acme Rockets.", { kind: "readme", source: "README of fans/site" });
    expect(ev.map((e) => e.type)).toEqual(["disclaimer"]);
    expect(ev[0]!.weight).toBeLessThan(0.5);
    // only in prose, not in config
    expect(contentEvidence(ctx, "unofficial build", { kind: "label", source: "x" })).toEqual([]);
  });
  it("look-alike domains: our label under another suffix", () => {
    const p = profileEvidence(ctx, profile({ gravatarEmail: "ops@acme-rockets.net", profileUrl: "https://www.acmerockets.com" }));
    expect(p.map((e) => [e.type, e.value])).toEqual([
      ["lookalike_domain", "acmerockets.com"],
      ["lookalike_domain", "acme-rockets.net"],
    ]);
    const c = contentEvidence(ctx, "partner_host = edi.acme-rockets.org\ncontact = it@acme-rockets.org", { kind: "file", source: "file /app/edi.conf in x/y:1" });
    expect(c.map((e) => [e.type, e.value])).toEqual([["lookalike_domain", "acme-rockets.org"]]);
    // registered domains and unrelated domains are not look-alikes
    expect(contentEvidence(ctx, "api.acmerockets.io acme-rockets.com.evil.net", { kind: "file", source: "f" }).map((e) => e.type)).toEqual(["content_host"]);
  });
  it("an image whose source label names another owner", () => {
    const ev = configEvidence(ctx, { config: { Labels: { "org.opencontainers.image.source": "https://github.com/pixelpete/acme-rockets-game" } } }, "p/g:latest");
    expect(ev.map((e) => [e.type, e.value])).toEqual([["other_owner", "github.com/pixelpete"]]);
    // a source under the company's org is positive, not negative
    const ours = configEvidence(ctx, { config: { Labels: { "org.opencontainers.image.source": "https://github.com/acme-rockets/x" } } }, "p/g:latest");
    expect(ours.map((e) => e.type)).toEqual(["git_remote"]);
  });
});

describe("config and hint evidence", () => {
  it("reads labels, env, author and history with precise sources", () => {
    const ev = configEvidence(
      ctx,
      {
        author: "Jane <jane.doe@acmerockets.io>",
        config: {
          Labels: { maintainer: "ci@acme-rockets.com", "org.opencontainers.image.source": "https://github.com/acme-rockets/api" },
          Env: ["PATH=/usr/bin", "API_HOST=api.acmerockets.io"],
        },
        history: [{ created_by: "RUN npm config set @acme-rockets:registry https://npm.acme-rockets.com/" }],
      },
      "jd/api:1.0",
    );
    const bySource = Object.fromEntries(ev.map((e) => [`${e.type}@${e.source}`, e.value]));
    expect(bySource).toMatchObject({
      "content_email@image jd/api:1.0 label maintainer": "ci@acme-rockets.com",
      "git_remote@image jd/api:1.0 label org.opencontainers.image.source": "github.com/acme-rockets/api",
      "content_host@image jd/api:1.0 env API_HOST": "api.acmerockets.io",
      "content_email@image jd/api:1.0 author": "jane.doe@acmerockets.io",
      "content_host@image jd/api:1.0 build step 1": "npm.acme-rockets.com",
    });
  });
  it("scanner hints count only when they match the identity", () => {
    const ev = hintEvidence(
      ctx,
      [
        { type: "aws_account_id", value: "029608264753" },
        { type: "aws_account_id", value: "999999999999" },
        { type: "host", value: "db.acme-rockets.com" },
        { type: "email", value: "someone@gmail.com" },
      ],
      "file app/.env in jd/api:1.0",
    );
    expect(ev.map((e) => [e.type, e.value])).toEqual([
      ["aws_account", "029608264753"],
      ["content_host", "db.acme-rockets.com"],
    ]);
  });
});
