import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { errorResponse, readJson } from "./respond";
import { assertSameOriginWrite } from "./with-org";

describe("errorResponse", () => {
  it("maps AppError, zod errors, unique violations and unknown errors", async () => {
    const nf = errorResponse(new AppError("NOT_FOUND", "Member not found"));
    expect(nf.status).toBe(404);
    expect(await nf.json()).toEqual({ error: { code: "NOT_FOUND", message: "Member not found" } });
    const zr = z.object({ role: z.enum(["a"]) }).safeParse({ role: "b" });
    const ze = errorResponse(zr.error);
    expect(ze.status).toBe(422);
    expect((await ze.json()).error.issues[0].path).toBe("role");
    expect(errorResponse({ code: "P2002" }).status).toBe(409);
    const orig = console.error;
    console.error = () => {};
    try {
      const boom = errorResponse(new Error("db password=hunter2 leaked"));
      expect(boom.status).toBe(500);
      expect(JSON.stringify(await boom.json())).not.toContain("hunter2");
    } finally {
      console.error = orig;
    }
  });
  it("readJson refuses malformed JSON with a 422-class error", async () => {
    await expect(readJson(new Request("http://x/", { method: "POST", body: "{nope" }))).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(await readJson(new Request("http://x/", { method: "POST", body: '{"a":1}' }))).toEqual({ a: 1 });
  });
});

describe("assertSameOriginWrite", () => {
  const req = (method: string, headers: Record<string, string>) => new Request("http://app.test/api", { method, headers, body: method === "GET" ? undefined : "{}" });
  it("allows same-origin JSON writes and any GET", () => {
    expect(() => assertSameOriginWrite(req("POST", { "content-type": "application/json", host: "app.test", origin: "http://app.test" }))).not.toThrow();
    expect(() => assertSameOriginWrite(req("GET", { origin: "http://evil.test" }))).not.toThrow();
  });
  it("refuses cross-site origins and form posts", () => {
    expect(() => assertSameOriginWrite(req("POST", { "content-type": "application/json", host: "app.test", origin: "http://evil.test" }))).toThrow(/Cross-site/);
    expect(() => assertSameOriginWrite(req("POST", { "content-type": "application/x-www-form-urlencoded", host: "app.test" }))).toThrow(/application\/json/);
  });
});
