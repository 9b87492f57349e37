import { describe, expect, it } from "vitest";
import { bearerChallenge, parseLimitWithWindow, parseRateLimitHeaders, parseRetryAfterMs, parseWwwAuthenticate } from "./headers";

describe("parseWwwAuthenticate", () => {
  it("parses Docker Hub's bearer challenge", () => {
    const h =
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:acmecorp/billing-api:pull"';
    expect(parseWwwAuthenticate(h)).toEqual([
      {
        scheme: "bearer",
        params: { realm: "https://auth.docker.io/token", service: "registry.docker.io", scope: "repository:acmecorp/billing-api:pull" },
      },
    ]);
  });

  it("handles several challenges, spaces, unquoted values and escapes", () => {
    const h = 'Basic realm="Registry Realm", Bearer realm="http://127.0.0.1:5001/token", service=reg, scope="repository:a/b:pull,push", error="invalid_token"';
    const cs = parseWwwAuthenticate(h);
    expect(cs.map((c) => c.scheme)).toEqual(["basic", "bearer"]);
    expect(cs[0]!.params.realm).toBe("Registry Realm");
    expect(cs[1]!.params).toEqual({
      realm: "http://127.0.0.1:5001/token",
      service: "reg",
      scope: "repository:a/b:pull,push",
      error: "invalid_token",
    });
    expect(parseWwwAuthenticate('Bearer realm="a\\"b"')[0]!.params.realm).toBe('a"b');
  });

  it("is case-insensitive for scheme and parameter names and tolerates junk", () => {
    expect(bearerChallenge('BEARER Realm="https://x/token",SERVICE="s"')).toEqual({
      scheme: "bearer",
      params: { realm: "https://x/token", service: "s" },
    });
    expect(parseWwwAuthenticate("")).toEqual([]);
    expect(parseWwwAuthenticate(null)).toEqual([]);
    expect(bearerChallenge("Bearer service=x")).toBeNull(); // no realm: unusable
    expect(bearerChallenge('Basic realm="x"')).toBeNull();
    expect(parseWwwAuthenticate('@@ Bearer realm="r"')).toEqual([{ scheme: "bearer", params: { realm: "r" } }]);
  });
});

describe("rate-limit headers", () => {
  it("parses the registry's ;w= syntax", () => {
    expect(parseLimitWithWindow("100;w=21600")).toEqual({ value: 100, window: 21600 });
    expect(parseLimitWithWindow("76 ; w=21600")).toEqual({ value: 76, window: 21600 });
    expect(parseLimitWithWindow("5")).toEqual({ value: 5, window: null });
    expect(parseLimitWithWindow("abc")).toBeNull();
    expect(parseLimitWithWindow(null)).toBeNull();
    const h = new Headers({ "ratelimit-limit": "100;w=21600", "ratelimit-remaining": "76;w=21600", "docker-ratelimit-source": "203.0.113.9" });
    expect(parseRateLimitHeaders(h)).toEqual({ pullLimit: 100, pullRemaining: 76, pullWindowSeconds: 21600 });
  });

  it("parses the Hub API's X-RateLimit-* headers", () => {
    const h = new Headers({ "x-ratelimit-limit": "180", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1767225600" });
    expect(parseRateLimitHeaders(h)).toEqual({ apiLimit: 180, apiRemaining: 0, apiResetAt: 1767225600 });
    expect(parseRateLimitHeaders(new Headers())).toEqual({});
  });
});

describe("parseRetryAfterMs", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it("reads delta seconds", () => {
    expect(parseRetryAfterMs(new Headers({ "retry-after": "60" }), now)).toBe(60_000);
    expect(parseRetryAfterMs(new Headers({ "retry-after": "0" }), now)).toBe(0);
  });
  it("reads an HTTP date", () => {
    expect(parseRetryAfterMs(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }), now)).toBe(30_000);
    // a date in the past means "now"
    expect(parseRetryAfterMs(new Headers({ "retry-after": "Wed, 31 Dec 2025 23:00:00 GMT" }), now)).toBe(0);
  });
  it("reads X-Retry-After as unix time (older Hub docs)", () => {
    expect(parseRetryAfterMs(new Headers({ "x-retry-after": String(now / 1000 + 45) }), now)).toBe(45_000);
  });
  it("falls back to X-RateLimit-Reset only when the budget is spent", () => {
    expect(parseRetryAfterMs(new Headers({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 10) }), now)).toBe(10_000);
    expect(parseRetryAfterMs(new Headers({ "x-ratelimit-remaining": "3", "x-ratelimit-reset": String(now / 1000 + 10) }), now)).toBeNull();
  });
  it("returns null when nothing is said or the value is garbage", () => {
    expect(parseRetryAfterMs(new Headers(), now)).toBeNull();
    expect(parseRetryAfterMs(new Headers({ "retry-after": "soon" }), now)).toBeNull();
  });
});
