// Pure parsers for the headers Docker Hub and registries send: auth challenges and rate limits.
// Kept free of I/O so every quirk listed in docs/dockerhub-api.md §5–6 has a unit test.

export interface AuthChallenge {
  /** lower-cased scheme: "bearer" | "basic" | ... */
  scheme: string;
  params: Record<string, string>;
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;

/**
 * Parses a WWW-Authenticate value (RFC 9110 §11.6.1), which may hold several challenges
 * ("Basic realm=x, Bearer realm=..."; Headers.get joins repeated headers with ", ").
 */
export function parseWwwAuthenticate(value: string | null | undefined): AuthChallenge[] {
  if (!value) return [];
  const out: AuthChallenge[] = [];
  let i = 0;
  const s = value;
  const skipWs = () => {
    while (i < s.length && (s[i] === " " || s[i] === "\t")) i++;
  };
  const readToken = (): string | null => {
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(s);
    if (!m) return null;
    i = TOKEN.lastIndex;
    return m[0];
  };
  const readQuoted = (): string => {
    // s[i] === '"'
    i++;
    let v = "";
    while (i < s.length && s[i] !== '"') {
      if (s[i] === "\\" && i + 1 < s.length) i++;
      v += s[i];
      i++;
    }
    i++; // closing quote
    return v;
  };
  let current: AuthChallenge | null = null;
  while (i < s.length) {
    skipWs();
    if (s[i] === ",") {
      i++;
      continue;
    }
    const start = i;
    const tok = readToken();
    if (!tok) {
      i++; // garbage character: skip it rather than fail the whole header
      continue;
    }
    skipWs();
    if (s[i] === "=" && current) {
      // auth-param of the current challenge (token68 values like "abc==" end in '=' too,
      // but registries never send those)
      i++;
      skipWs();
      const v = s[i] === '"' ? readQuoted() : (readToken() ?? "");
      current.params[tok.toLowerCase()] = v;
      continue;
    }
    if (s[i] === "=" && !current) {
      i = start + tok.length + 1;
      continue;
    }
    current = { scheme: tok.toLowerCase(), params: {} };
    out.push(current);
  }
  return out;
}

export function bearerChallenge(value: string | null | undefined): AuthChallenge | null {
  return parseWwwAuthenticate(value).find((c) => c.scheme === "bearer" && c.params.realm) ?? null;
}

export interface RateLimitObservation {
  pullLimit?: number;
  pullRemaining?: number;
  pullWindowSeconds?: number;
  apiLimit?: number;
  apiRemaining?: number;
  apiResetAt?: number;
}

/** "100;w=21600" → {value:100, window:21600}; tolerant of spaces and extra params. */
export function parseLimitWithWindow(v: string | null | undefined): { value: number; window: number | null } | null {
  if (!v) return null;
  // Some proxies join duplicates with ", "; the first is authoritative.
  const first = v.split(",")[0] ?? "";
  const parts = first.split(";").map((p) => p.trim());
  const value = Number(parts[0]);
  if (!parts[0] || !Number.isFinite(value) || value < 0) return null;
  let window: number | null = null;
  for (const p of parts.slice(1)) {
    const m = /^w\s*=\s*(\d+)$/i.exec(p);
    if (m) window = Number(m[1]);
  }
  return { value, window };
}

function intHeader(v: string | null | undefined): number | undefined {
  if (v == null || v.trim() === "") return undefined;
  const n = Number(v.trim());
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

export function parseRateLimitHeaders(h: Headers): RateLimitObservation {
  const o: RateLimitObservation = {};
  const limit = parseLimitWithWindow(h.get("ratelimit-limit"));
  const remaining = parseLimitWithWindow(h.get("ratelimit-remaining"));
  if (limit) {
    o.pullLimit = limit.value;
    if (limit.window != null) o.pullWindowSeconds = limit.window;
  }
  if (remaining) {
    o.pullRemaining = remaining.value;
    if (remaining.window != null && o.pullWindowSeconds == null) o.pullWindowSeconds = remaining.window;
  }
  const al = intHeader(h.get("x-ratelimit-limit"));
  const ar = intHeader(h.get("x-ratelimit-remaining"));
  const ax = intHeader(h.get("x-ratelimit-reset"));
  if (al !== undefined) o.apiLimit = al;
  if (ar !== undefined) o.apiRemaining = ar;
  if (ax !== undefined) o.apiResetAt = ax;
  return o;
}

/**
 * How long a 429 (or 503) asks us to wait, in ms, or null when it does not say.
 * Retry-After: delta-seconds or an HTTP date; X-Retry-After: unix time (older Hub docs);
 * X-RateLimit-Reset: unix time, used only when the API budget is exhausted.
 */
export function parseRetryAfterMs(h: Headers, nowMs: number): number | null {
  const ra = h.get("retry-after")?.trim();
  if (ra) {
    if (/^\d+(\.\d+)?$/.test(ra)) return Math.max(0, Math.round(Number(ra) * 1000));
    const t = Date.parse(ra);
    if (!Number.isNaN(t)) return Math.max(0, t - nowMs);
  }
  const xra = intHeader(h.get("x-retry-after"));
  if (xra !== undefined && xra > 0) {
    // A small number is a delta in seconds (some proxies); a large one is unix time.
    return xra > 1_000_000_000 ? Math.max(0, xra * 1000 - nowMs) : xra * 1000;
  }
  const remaining = intHeader(h.get("x-ratelimit-remaining"));
  const reset = intHeader(h.get("x-ratelimit-reset"));
  if (remaining === 0 && reset !== undefined && reset > 1_000_000_000) return Math.max(0, reset * 1000 - nowMs);
  return null;
}
