import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { HttpClient } from "./http";
import { fakeSleep, json, startTestServer, type TestServer } from "./test-server";

let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer();
});
afterEach(async () => {
  await srv.close();
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe("HttpClient retries", () => {
  it("retries 5xx with growing jittered backoff and then succeeds", async () => {
    let n = 0;
    srv.handler = (_q, s) => (++n < 3 ? json(s, 503, { error: "busy" }) : json(s, 200, { ok: true }));
    const fs = fakeSleep();
    const http = new HttpClient({ sleep: fs.sleep, random: () => 0.5, backoffBaseMs: 100 });
    const res = await http.send(`${srv.url}/x`);
    expect(await res.json(1000)).toEqual({ ok: true });
    expect(n).toBe(3);
    expect(fs.calls).toEqual([75, 150]); // 100·2^k halves + 0.5 jitter
  });

  it("gives up after maxAttempts with UPSTREAM_FAILED naming method, path and status", async () => {
    srv.handler = (_q, s) => json(s, 502, {});
    const fs = fakeSleep();
    const http = new HttpClient({ sleep: fs.sleep, maxAttempts: 3 });
    const e = await rejection(http.send(`${srv.url}/v2/thing?token=SECRET`));
    expect(e.code).toBe("UPSTREAM_FAILED");
    expect(e.message).toContain("GET 127.0.0.1");
    expect(e.message).toContain("/v2/thing");
    expect(e.message).toContain("HTTP 502");
    expect(e.message).not.toContain("SECRET");
    expect(srv.requests).toHaveLength(3);
    expect(fs.calls).toHaveLength(2);
  });

  it("never retries other 4xx", async () => {
    for (const status of [400, 401, 403, 404, 410]) {
      srv.requests.length = 0;
      srv.handler = (_q, s) => json(s, status, { detail: "no" });
      const http = new HttpClient({ sleep: fakeSleep().sleep });
      const res = await http.send(`${srv.url}/x`);
      expect(res.status).toBe(status);
      await res.discard();
      expect(srv.requests).toHaveLength(1);
    }
  });

  it("retries network errors, then fails with UPSTREAM_FAILED", async () => {
    const dead = srv.url;
    await srv.close();
    const fs = fakeSleep();
    const http = new HttpClient({ sleep: fs.sleep, maxAttempts: 2 });
    const e = await rejection(http.send(`${dead}/x`));
    expect(e.code).toBe("UPSTREAM_FAILED");
    expect(e.message).toMatch(/network error/);
    expect(fs.calls).toHaveLength(1);
    srv = await startTestServer(); // for afterEach
  });
});

describe("HttpClient 429 handling", () => {
  it("waits Retry-After seconds and retries", async () => {
    let n = 0;
    srv.handler = (_q, s) => (++n === 1 ? json(s, 429, { detail: "Rate limit exceeded", error: false }, { "retry-after": "7" }) : json(s, 200, []));
    const fs = fakeSleep();
    const http = new HttpClient({ sleep: fs.sleep });
    const res = await http.send(`${srv.url}/x`);
    expect(res.status).toBe(200);
    await res.discard();
    expect(fs.calls).toEqual([7000]);
  });

  it("accepts Retry-After as an HTTP date and X-Retry-After as unix time", async () => {
    const now = Date.parse("2026-03-01T12:00:00Z");
    let n = 0;
    srv.handler = (_q, s) => {
      n++;
      if (n === 1) return json(s, 429, {}, { "retry-after": new Date(now + 12_000).toUTCString() });
      if (n === 2) {
        s.writeHead(429, { "content-type": "text/plain", "x-retry-after": String(now / 1000 + 3) });
        return void s.end("Too Many Requests (HAP429).");
      }
      return json(s, 200, {});
    };
    const fs = fakeSleep();
    const http = new HttpClient({ sleep: fs.sleep, now: () => now });
    const res = await http.send(`${srv.url}/x`);
    await res.discard();
    expect(fs.calls).toEqual([12_000, 3000]);
  });

  it("fails with RATE_LIMITED when the wait exceeds the bound", async () => {
    srv.handler = (_q, s) => json(s, 429, {}, { "retry-after": "3600" });
    const fs = fakeSleep();
    const http = new HttpClient({ sleep: fs.sleep, maxRateLimitWaitMs: 60_000 });
    const e = await rejection(http.send(`${srv.url}/x`));
    expect(e.code).toBe("RATE_LIMITED");
    expect(e.retryAfterSeconds).toBe(3600);
    expect(fs.calls).toEqual([]);
  });

  it("fails fast when the registry pull budget is spent", async () => {
    srv.handler = (_q, s) =>
      json(s, 429, { errors: [{ code: "TOOMANYREQUESTS", message: "You have reached your unauthenticated pull rate limit." }] }, {
        "ratelimit-limit": "100;w=21600",
        "ratelimit-remaining": "0;w=21600",
      });
    const fs = fakeSleep();
    const http = new HttpClient({ sleep: fs.sleep });
    const e = await rejection(http.send(`${srv.url}/v2/a/b/manifests/latest`));
    expect(e.code).toBe("RATE_LIMITED");
    expect(e.retryAfterSeconds).toBe(21600);
    expect(srv.requests).toHaveLength(1);
    expect(http.rateLimit()).toMatchObject({ pullLimit: 100, pullRemaining: 0, pullWindowSeconds: 21600 });
  });

  it("backs off when a 429 gives no hint, bounded by maxAttempts", async () => {
    srv.handler = (_q, s) => json(s, 429, {});
    const fs = fakeSleep();
    const http = new HttpClient({ sleep: fs.sleep, maxAttempts: 3, random: () => 1, backoffBaseMs: 200 });
    const e = await rejection(http.send(`${srv.url}/x`));
    expect(e.code).toBe("RATE_LIMITED");
    expect(fs.calls).toEqual([200, 400]);
    expect(srv.requests).toHaveLength(3);
  });
});

describe("HttpClient bodies", () => {
  it("turns HTML, empty and garbage bodies into UPSTREAM_FAILED with path and status", async () => {
    const http = new HttpClient();
    srv.handler = (_q, s) => {
      s.writeHead(200, { "content-type": "text/html" });
      s.end("<!doctype html><html><body>504 Gateway Time-out</body></html>");
    };
    let e = await rejection((await http.send(`${srv.url}/v2/repositories/acme/`)).json(1e6));
    expect(e.code).toBe("UPSTREAM_FAILED");
    expect(e.message).toContain("/v2/repositories/acme/");
    expect(e.message).toContain("HTTP 200");
    expect(e.message).toContain("HTML");
    srv.handler = (_q, s) => {
      s.writeHead(200, { "content-type": "application/json" });
      s.end("");
    };
    e = await rejection((await http.send(`${srv.url}/e`)).json(1e6));
    expect(e.message).toMatch(/empty body/);
    srv.handler = (_q, s) => {
      s.writeHead(200, { "content-type": "application/json" });
      s.end("{not json");
    };
    e = await rejection((await http.send(`${srv.url}/g`)).json(1e6));
    expect(e.message).toMatch(/not JSON/);
  });

  it("caps body size, whether declared or streamed", async () => {
    const http = new HttpClient();
    srv.handler = (_q, s) => {
      s.writeHead(200, { "content-type": "application/json" });
      s.write("[" + "1,".repeat(3000));
      s.end("1]");
    };
    const e = await rejection((await http.send(`${srv.url}/big`)).bytes(1000));
    expect(e.message).toMatch(/1000-byte limit/);
    srv.handler = (_q, s) => json(s, 200, "x".repeat(5000));
    const e2 = await rejection((await http.send(`${srv.url}/big2`)).bytes(1000));
    expect(e2.message).toMatch(/5002 bytes/);
  });

  it("times out when headers never come (connect timeout)", async () => {
    srv.handler = () => {
      /* never answers */
    };
    const http = new HttpClient({ connectTimeoutMs: 100, maxAttempts: 2, sleep: fakeSleep().sleep });
    const e = await rejection(http.send(`${srv.url}/hang`));
    expect(e.code).toBe("UPSTREAM_FAILED");
    expect(e.message).toMatch(/timed out waiting for response headers after 2 attempts/);
  });

  it("times out when the body stalls (idle timeout)", async () => {
    srv.handler = (_q, s) => {
      s.writeHead(200, { "content-type": "application/json" });
      s.write('{"a":');
      // ...and nothing more
    };
    const http = new HttpClient({ idleTimeoutMs: 100 });
    const res = await http.send(`${srv.url}/stall`);
    const e = await rejection(res.json(1e6));
    expect(e.message).toMatch(/timed out waiting for response body/);
    expect(http.inFlight).toBe(0);
  });

  it("does not time out a healthy stream whose consumer is slow", async () => {
    const payload = Buffer.alloc(512 * 1024, 1);
    srv.handler = (_q, s) => {
      s.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(payload.length) });
      s.end(payload);
    };
    const http = new HttpClient({ idleTimeoutMs: 300 });
    const stream = (await http.send(`${srv.url}/blob`)).stream();
    let total = 0;
    let first = true;
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (first) {
        first = false;
        await new Promise((r) => setTimeout(r, 900)); // consumer busy far longer than the idle timeout
      }
    }
    expect(total).toBe(payload.length);
    expect(http.inFlight).toBe(0);
  });

  it("records Hub API rate-limit headers", async () => {
    srv.handler = (_q, s) => json(s, 200, {}, { "x-ratelimit-limit": "180", "x-ratelimit-remaining": "179", "x-ratelimit-reset": "1767225600" });
    const http = new HttpClient({ now: () => 42 });
    await (await http.send(`${srv.url}/x`)).discard();
    expect(http.rateLimit()).toMatchObject({ apiLimit: 180, apiRemaining: 179, apiResetAt: 1767225600, updatedAt: 42 });
  });
});

describe("HttpClient concurrency cap", () => {
  it("never has more than `concurrency` requests open upstream", async () => {
    let open = 0;
    let maxOpen = 0;
    const pending: Array<() => void> = [];
    srv.handler = (_q, s) => {
      open++;
      maxOpen = Math.max(maxOpen, open);
      pending.push(() => {
        open--;
        json(s, 200, {});
      });
    };
    const http = new HttpClient({ concurrency: 2 });
    const all = Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const r = await http.send(`${srv.url}/c${i}`);
        await r.json(100);
      }),
    );
    // answer only once the cap is reached, so a leak past it would show up as a third request
    let answered = 0;
    while (answered < 6) {
      const want = Math.min(2, 6 - answered);
      while (pending.length < want) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 20));
      expect(open).toBeLessThanOrEqual(2);
      pending.shift()!();
      answered++;
    }
    await all;
    expect(maxOpen).toBe(2);
    expect(http.inFlight).toBe(0);
  });
});
