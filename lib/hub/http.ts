// The shared HTTP layer of lib/hub: one place for retries, 429 handling, timeouts, the
// concurrency cap, rate-limit bookkeeping and bounded body reads. Hub API and registry code
// above it only decide what a status *means*.
import { Readable } from "node:stream";
import { AppError } from "@/lib/errors";
import { parseRateLimitHeaders, parseRetryAfterMs } from "./headers";
import { Semaphore } from "./semaphore";
import type { RateLimitState } from "./types";

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;
export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface HttpClientOptions {
  /** injectable for tests; defaults to globalThis.fetch */
  fetch?: FetchLike;
  /** injectable for tests (no real waiting); defaults to a timer */
  sleep?: SleepFn;
  /** epoch ms; injectable for tests */
  now?: () => number;
  /** [0,1); injectable for deterministic jitter */
  random?: () => number;
  /** max concurrent upstream requests (default 4) */
  concurrency?: number;
  /** max time until response headers arrive (default 20 s) */
  connectTimeoutMs?: number;
  /** max silence between body chunks (default 30 s) */
  idleTimeoutMs?: number;
  /** attempts per request for 5xx / network errors / 429 (default 4) */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** longest 429 wait we accept before failing with RATE_LIMITED (default 60 s) */
  maxRateLimitWaitMs?: number;
  userAgent?: string;
}

export interface SendOptions {
  method?: "GET" | "HEAD" | "POST";
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export const defaultSleep: SleepFn = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** "host/path" for messages: never the query (signed CDN URLs) and never credentials. */
export function describeUrl(u: URL | string): string {
  const url = typeof u === "string" ? new URL(u) : u;
  return `${url.host}${url.pathname}`;
}

class TimeoutError extends Error {
  constructor(readonly phase: "connect" | "idle") {
    super(phase === "connect" ? "timed out waiting for response headers" : "timed out waiting for response body");
  }
}

/** One upstream response whose concurrency slot is held until its body is consumed or discarded. */
export class HttpResponse {
  private released = false;
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly url: URL,
    readonly method: string,
    private readonly raw: Response,
    private readonly release: () => void,
    private readonly idle: IdleTimer,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  private done(): void {
    if (this.released) return;
    this.released = true;
    this.idle.stop();
    this.release();
  }

  /** Reads the whole body, failing with UPSTREAM_FAILED beyond maxBytes. */
  async bytes(maxBytes: number): Promise<Buffer> {
    try {
      const declared = Number(this.headers.get("content-length"));
      if (Number.isFinite(declared) && declared > maxBytes) {
        throw new AppError("UPSTREAM_FAILED", `${describeUrl(this.url)} answered ${declared} bytes, more than the ${maxBytes}-byte limit`);
      }
      if (!this.raw.body) return Buffer.alloc(0);
      const reader = this.raw.body.getReader();
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        this.idle.arm();
        let r: ReadableStreamReadResult<Uint8Array>;
        try {
          r = await reader.read();
        } catch (e) {
          throw this.idle.translate(e, this.url);
        }
        this.idle.stop();
        if (r.done) break;
        total += r.value.byteLength;
        if (total > maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new AppError("UPSTREAM_FAILED", `${describeUrl(this.url)} answered more than the ${maxBytes}-byte limit`);
        }
        chunks.push(Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength));
      }
      return Buffer.concat(chunks, total);
    } finally {
      this.done();
    }
  }

  async text(maxBytes: number): Promise<string> {
    return (await this.bytes(maxBytes)).toString("utf8");
  }

  /**
   * Parses the body as JSON. An HTML page or other non-JSON (Docker Hub's edge sometimes
   * answers 200 with HTML) becomes UPSTREAM_FAILED naming the path and status.
   */
  async json(maxBytes: number): Promise<unknown> {
    const body = await this.text(maxBytes);
    const ctype = this.headers.get("content-type") ?? "no content type";
    const trimmed = body.trimStart();
    if (trimmed === "") {
      throw new AppError("UPSTREAM_FAILED", `${describeUrl(this.url)} answered HTTP ${this.status} with an empty body where JSON was expected`);
    }
    if (trimmed.startsWith("<")) {
      throw new AppError("UPSTREAM_FAILED", `${describeUrl(this.url)} answered HTTP ${this.status} with an HTML page (${ctype}) where JSON was expected`);
    }
    try {
      return JSON.parse(body);
    } catch {
      throw new AppError("UPSTREAM_FAILED", `${describeUrl(this.url)} answered HTTP ${this.status} with a body that is not JSON (${ctype})`);
    }
  }

  /** Best-effort JSON for error bodies: never throws. */
  async jsonOrNull(maxBytes = 64 * 1024): Promise<unknown> {
    try {
      return await this.json(maxBytes);
    } catch {
      return null;
    }
  }

  async discard(): Promise<void> {
    try {
      await this.raw.body?.cancel();
    } catch {
      // already closed
    } finally {
      this.done();
    }
  }

  /** The body as a Node stream with the idle timeout; the slot is freed when it closes. */
  stream(): Readable {
    const body = this.raw.body;
    const idle = this.idle;
    const url = this.url;
    const finish = () => this.done();
    if (!body) {
      finish();
      return Readable.from([]);
    }
    const reader = body.getReader();
    return new Readable({
      highWaterMark: 64 * 1024,
      read() {
        idle.arm();
        reader.read().then(
          (r) => {
            // data arrived: the upstream is alive; a slow consumer must not trip the timer
            idle.stop();
            if (r.done) {
              finish();
              this.push(null);
            } else {
              this.push(Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength));
            }
          },
          (e: unknown) => {
            finish();
            this.destroy(idle.translate(e, url) as Error);
          },
        );
      },
      destroy(err, cb) {
        finish();
        reader.cancel().catch(() => undefined);
        cb(err);
      },
    });
  }
}

/** Aborts the attempt's controller when no body chunk arrives for `ms`. */
class IdleTimer {
  private t: ReturnType<typeof setTimeout> | undefined;
  private fired = false;
  constructor(
    private readonly ctl: AbortController,
    private readonly ms: number,
  ) {}
  arm(): void {
    this.stop();
    this.t = setTimeout(() => {
      this.fired = true;
      this.ctl.abort(new TimeoutError("idle"));
    }, this.ms);
    this.t.unref?.();
  }
  stop(): void {
    if (this.t) clearTimeout(this.t);
    this.t = undefined;
  }
  translate(e: unknown, url: URL): unknown {
    if (e instanceof AppError) return e;
    if (this.fired) return new AppError("UPSTREAM_FAILED", `${describeUrl(url)}: ${new TimeoutError("idle").message}`, { cause: e });
    if (e instanceof Error && e.name === "AbortError") return e;
    return new AppError("UPSTREAM_FAILED", `${describeUrl(url)}: connection failed while reading the body`, { cause: e });
  }
}

export function emptyRateLimitState(): RateLimitState {
  return { pullLimit: null, pullRemaining: null, pullWindowSeconds: null, apiLimit: null, apiRemaining: null, apiResetAt: null, updatedAt: 0 };
}

export class HttpClient {
  readonly fetchImpl: FetchLike;
  readonly sleep: SleepFn;
  readonly now: () => number;
  private readonly random: () => number;
  private readonly sem: Semaphore;
  private readonly connectTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly maxRateLimitWaitMs: number;
  private readonly userAgent: string;
  private readonly limits: RateLimitState = emptyRateLimitState();

  constructor(opts: HttpClientOptions = {}) {
    this.fetchImpl = opts.fetch ?? ((i, init) => globalThis.fetch(i, init));
    this.sleep = opts.sleep ?? defaultSleep;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.sem = new Semaphore(opts.concurrency ?? 4);
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 20_000;
    this.idleTimeoutMs = opts.idleTimeoutMs ?? 30_000;
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 4);
    this.backoffBaseMs = opts.backoffBaseMs ?? 500;
    this.backoffMaxMs = opts.backoffMaxMs ?? 10_000;
    this.maxRateLimitWaitMs = opts.maxRateLimitWaitMs ?? 60_000;
    this.userAgent = opts.userAgent ?? "stowaway/0.1 (+https://github.com/stowaway)";
  }

  get inFlight(): number {
    return this.sem.inUse;
  }

  rateLimit(): RateLimitState {
    return { ...this.limits };
  }

  private observe(h: Headers): void {
    const o = parseRateLimitHeaders(h);
    if (Object.keys(o).length === 0) return;
    Object.assign(this.limits, o, { updatedAt: this.now() });
  }

  /** Exponential backoff with "equal jitter": half fixed, half random, capped. */
  backoffMs(attempt: number): number {
    const exp = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (attempt - 1));
    return Math.round(exp / 2 + this.random() * (exp / 2));
  }

  /**
   * Sends a request. Retries network errors, timeouts and 5xx with backoff, waits out 429s
   * (bounded), and returns every other status to the caller. Redirects are never followed here
   * (redirect: "manual"): callers decide whether the next hop may see Authorization.
   */
  async send(url: URL | string, opts: SendOptions = {}): Promise<HttpResponse> {
    const target = typeof url === "string" ? new URL(url) : url;
    const method = opts.method ?? "GET";
    const where = `${method} ${describeUrl(target)}`;
    let lastProblem = "";
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      opts.signal?.throwIfAborted();
      const release = await this.sem.acquire(opts.signal);
      const ctl = new AbortController();
      const signal = opts.signal ? AbortSignal.any([opts.signal, ctl.signal]) : ctl.signal;
      const idle = new IdleTimer(ctl, this.idleTimeoutMs);
      let connectTimedOut = false;
      const connectTimer = setTimeout(() => {
        connectTimedOut = true;
        ctl.abort(new TimeoutError("connect"));
      }, this.connectTimeoutMs);
      connectTimer.unref?.();
      let res: Response;
      try {
        res = await this.fetchImpl(target, {
          method,
          headers: { "user-agent": this.userAgent, ...opts.headers },
          body: opts.body,
          redirect: "manual",
          signal,
        });
      } catch (e) {
        clearTimeout(connectTimer);
        release();
        if (opts.signal?.aborted) throw opts.signal.reason;
        lastProblem = connectTimedOut ? new TimeoutError("connect").message : `network error (${errorCode(e)})`;
        if (attempt < this.maxAttempts) {
          await this.sleep(this.backoffMs(attempt), opts.signal);
          continue;
        }
        throw new AppError("UPSTREAM_FAILED", `${where}: ${lastProblem} after ${attempt} attempts`, { cause: e });
      }
      clearTimeout(connectTimer);
      this.observe(res.headers);
      const wrapped = new HttpResponse(res.status, res.headers, target, method, res, release, idle);

      if (res.status === 429) {
        await wrapped.discard();
        const waitMs = parseRetryAfterMs(res.headers, this.now());
        const pull = parseRateLimitHeaders(res.headers);
        // A spent registry pull budget (remaining 0 with a window) will not recover within a
        // sensible wait: fail fast and tell the caller how long the window is.
        const exhaustedWindow = pull.pullRemaining === 0 && waitMs === null ? pull.pullWindowSeconds : undefined;
        if (exhaustedWindow !== undefined) {
          throw new AppError("RATE_LIMITED", `${where}: Docker Hub pull rate limit reached`, { retryAfterSeconds: exhaustedWindow });
        }
        const wait = waitMs ?? this.backoffMs(attempt);
        if (wait > this.maxRateLimitWaitMs || attempt >= this.maxAttempts) {
          throw new AppError("RATE_LIMITED", `${where}: rate limited by upstream (HTTP 429)`, {
            retryAfterSeconds: Math.ceil(wait / 1000),
          });
        }
        await this.sleep(wait, opts.signal);
        continue;
      }
      if (res.status >= 500 && res.status !== 501 && res.status !== 505) {
        await wrapped.discard();
        lastProblem = `HTTP ${res.status}`;
        if (attempt < this.maxAttempts) {
          // A 503 may say when to come back; honour it within the same bound.
          const hinted = parseRetryAfterMs(res.headers, this.now());
          const wait = hinted !== null && hinted <= this.maxRateLimitWaitMs ? Math.max(hinted, 0) : this.backoffMs(attempt);
          await this.sleep(wait, opts.signal);
          continue;
        }
        throw new AppError("UPSTREAM_FAILED", `${where}: ${lastProblem} after ${attempt} attempts`);
      }
      if (method === "HEAD") {
        // no body to wait for: free the slot now
        await wrapped.discard();
      }
      return wrapped;
    }
    throw new AppError("UPSTREAM_FAILED", `${where}: ${lastProblem || "failed"}`);
  }
}

function errorCode(e: unknown): string {
  const cause = (e as { cause?: { code?: string } } | null)?.cause;
  if (cause?.code) return cause.code;
  if (e instanceof Error) return e.name === "TypeError" ? "fetch failed" : e.name;
  return "unknown";
}
