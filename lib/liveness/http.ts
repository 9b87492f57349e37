// SECURITY-CRITICAL: the one outbound call a verifier makes. Redirects are never followed (a
// redirect would carry the credential to another origin), the body is read up to a small cap,
// every call has a deadline, and errors are reduced to a kind: no URL (some providers put the
// token in the path), no header and no body ever reaches an error message or a log.

export interface ProbeRequest {
  method: "GET" | "POST";
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export interface ProbeResponse {
  status: number;
  headers: Headers;
  /** the first maxBodyBytes of the body, decoded as UTF-8 */
  body: string;
}

export type ProbeFailure = "timeout" | "unreachable";

export class ProbeError extends Error {
  constructor(readonly kind: ProbeFailure) {
    super(kind === "timeout" ? "provider did not answer in time" : "provider unreachable");
    this.name = "ProbeError";
  }
}

export interface ProbeOptions {
  timeoutMs: number;
  maxBodyBytes: number;
  signal?: AbortSignal;
}

export async function probe(req: ProbeRequest, opts: ProbeOptions): Promise<ProbeResponse> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: { "user-agent": "Stowaway-liveness/1 (identity check)", accept: "application/json", ...req.headers },
      body: req.body,
      redirect: "manual",
      signal,
      cache: "no-store",
    });
  } catch {
    throw new ProbeError(timeout.aborted ? "timeout" : "unreachable");
  }
  try {
    const body = await readCapped(res, opts.maxBodyBytes);
    return { status: res.status, headers: res.headers, body };
  } catch {
    // a body that stalls past the deadline: the status is still known
    return { status: res.status, headers: res.headers, body: "" };
  }
}

async function readCapped(res: Response, max: number): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < max) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = value.subarray(0, Math.min(value.length, max - total));
      chunks.push(take);
      total += take.length;
    }
  } finally {
    // stop downloading the rest; the connection is not reused for a half-read body
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString("utf8");
}
