// A tiny browser stand-in for HTTP tests: a cookie jar, JSON helpers and next-auth's
// credentials flow (csrf token + cookie → /api/auth/callback/credentials).
export class HttpSession {
  readonly cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  private absorb(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async fetch(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
    const url = pathOrUrl.startsWith("http") ? pathOrUrl : `${this.baseUrl}${pathOrUrl}`;
    const headers = new Headers(init.headers);
    if (this.cookies.size && new URL(url).origin === new URL(this.baseUrl).origin) headers.set("cookie", this.cookieHeader());
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    if (new URL(url).origin === new URL(this.baseUrl).origin) this.absorb(res);
    return res;
  }

  async json<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await this.fetch(path, {
      method,
      headers: body !== undefined ? { "content-type": "application/json" } : {},
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed as T };
  }

  get = <T = unknown>(path: string) => this.json<T>("GET", path);
  post = <T = unknown>(path: string, body?: unknown) => this.json<T>("POST", path, body ?? {});
  patch = <T = unknown>(path: string, body?: unknown) => this.json<T>("PATCH", path, body ?? {});
  del = <T = unknown>(path: string) => this.json<T>("DELETE", path);

  async csrfToken(): Promise<string> {
    const r = await this.fetch("/api/auth/csrf");
    return ((await r.json()) as { csrfToken: string }).csrfToken;
  }

  /** next-auth credentials sign-in. Returns true when a session cookie was issued. */
  async signIn(email: string, password: string): Promise<boolean> {
    const csrfToken = await this.csrfToken();
    const res = await this.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: this.baseUrl }).toString(),
    });
    const body = (await res.json().catch(() => ({}))) as { url?: string };
    return !String(body.url ?? "").includes("error=") && [...this.cookies.keys()].some((k) => k.endsWith("next-auth.session-token"));
  }

  async signUpAndIn(email: string, password: string, name?: string): Promise<void> {
    const r = await this.post("/api/v1/auth/signup", { email, password, name });
    if (r.status !== 201) throw new Error(`sign-up failed: ${r.status} ${JSON.stringify(r.body)}`);
    if (!(await this.signIn(email, password))) throw new Error("sign-in after sign-up failed");
  }
}

let counter = 0;
export function uniqueEmail(prefix = "user"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.test`;
}
export const TEST_PASSWORD = "violet-harbour-tractor-42";
