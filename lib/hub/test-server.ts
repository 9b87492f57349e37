// Test support (not a test): a real HTTP server on 127.0.0.1, port 0, with a swappable
// handler and a log of what arrived. Unit tests talk to it over real sockets instead of
// mocking fetch.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  method: string;
  path: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
}

export interface TestServer {
  url: string;
  origin: URL;
  requests: SeenRequest[];
  handler: (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void | Promise<void>;
  close(): Promise<void>;
}

export async function startTestServer(
  handler: TestServer["handler"] = (_q, s) => {
    s.statusCode = 404;
    s.end();
  },
  host = "127.0.0.1",
): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const state = { handler } as { handler: TestServer["handler"] };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? host}`);
    requests.push({ method: req.method ?? "GET", path: url.pathname, url, headers: req.headers });
    Promise.resolve(state.handler(req, res, url)).catch((e: unknown) => {
      res.statusCode = 599;
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const base = `http://${host}:${port}`;
  const out: TestServer = {
    url: base,
    origin: new URL(base),
    requests,
    get handler() {
      return state.handler;
    },
    set handler(h) {
      state.handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return out;
}

/** Records sleeps instead of waiting; tests assert the requested durations, never wall time. */
export function fakeSleep(): { sleep: (ms: number) => Promise<void>; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    sleep: async (ms: number) => {
      calls.push(ms);
    },
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { "content-type": "application/json", "content-length": String(data.length), ...headers });
  res.end(data);
}
