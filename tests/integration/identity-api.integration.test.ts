// Organisation identity over HTTP: validation with field-level 422s, normalisation, uniqueness,
// all-or-nothing bulk adds, notes, deletes, and the audit trail for each change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, testBackends, type AppServer } from "../support/app-server";
import type { HttpSession } from "../support/http-session";
import { signedInUser } from "../support/org-fixtures";

interface Item {
  id: string;
  kind: string;
  value: string;
  normalized: string;
  category: string | null;
  notes: string | null;
  warnings: string[];
}
interface ErrBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

describe.each(testBackends())("organisation identity API (%s)", (backend) => {
  let app: AppServer;
  let s: HttpSession;
  let base: string;
  beforeAll(async () => {
    app = await startApp({ backend });
    const u = await signedInUser(app.baseUrl, "ident");
    s = u.s;
    const org = await s.post<{ org: { slug: string } }>("/api/v1/orgs", { name: "Acme Rockets" });
    expect(org.body.org.slug).toBe("acme-rockets");
    base = `/api/v1/orgs/${org.body.org.slug}/identity`;
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("normalises and stores each kind", async () => {
    const add = async (kind: string, body: unknown) => {
      const r = await s.post<{ items: Item[] }>(`${base}/${kind}`, body);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.items[0]!;
    };
    expect((await add("domain", { value: "https://www.ACME-rockets.com/about" })).normalized).toBe("acme-rockets.com");
    expect((await add("domain", { value: "bücher.de" })).normalized).toBe("xn--bcher-kva.de");
    expect((await add("email_pattern", { value: "*@Acme-Rockets.com" })).normalized).toBe("*@acme-rockets.com");
    expect((await add("email_pattern", { value: "first.last@acme.io" })).normalized).toBe("first.last@acme.io");
    const name = await add("known_name", { value: "Acme Rockets", category: "brand", notes: "main brand" });
    expect(name).toMatchObject({ category: "brand", notes: "main brand", warnings: [] });
    const generic = await add("known_name", { value: "api", category: "product" });
    expect(generic.warnings.length).toBeGreaterThan(0);
    expect((await add("sanctioned_namespace", { value: "https://hub.docker.com/u/acmerockets" })).normalized).toBe("acmerockets");
    expect((await add("exclusion", { value: "Acme Corp Unrelated" })).normalized).toBe("acme corp unrelated");
    expect((await add("cloud_account_id", { value: "1234-5678-9012", category: "aws" })).normalized).toBe("123456789012");

    const all = await s.get<{ items: Item[] }>(base);
    expect(new Set(all.body.items.map((i) => i.kind))).toEqual(
      new Set(["domain", "email_pattern", "known_name", "sanctioned_namespace", "exclusion", "cloud_account_id"]),
    );
    // The warning is surfaced on reads as well, for the settings page.
    expect(all.body.items.find((i) => i.value === "api")?.warnings.length).toBeGreaterThan(0);
  });

  it("rejects bad input with field-level 422s and never crashes", async () => {
    const cases: [string, unknown, string][] = [
      ["domain", { value: "not a domain" }, "value"],
      ["domain", { value: "localhost" }, "value"],
      ["domain", { value: "" }, "value"],
      ["domain", { value: 12 }, "value"],
      ["domain", {}, "value"],
      ["email_pattern", { value: "*@*" }, "value"],
      ["email_pattern", { value: "*@*.com" }, "value"],
      ["email_pattern", { value: "jane" }, "value"],
      ["known_name", { value: "acme", category: "planet" }, "category"],
      ["sanctioned_namespace", { value: "Not Valid!" }, "value"],
      ["cloud_account_id", { value: "12345", category: "aws" }, "value"],
      ["domain", { value: "acme.org", notes: "x".repeat(501) }, "notes"],
    ];
    for (const [kind, body, path] of cases) {
      const r = await s.post<ErrBody>(`${base}/${kind}`, body);
      expect(r.status, `${kind} ${JSON.stringify(body)}`).toBe(422);
      expect(r.body.error.code).toBe("INVALID_INPUT");
      expect(r.body.error.issues?.[0]?.path, `${kind} ${JSON.stringify(body)}`).toBe(path);
      expect(r.body.error.issues?.[0]?.message.length).toBeGreaterThan(5);
    }
    expect((await s.post<ErrBody>(`${base}/planets`, { value: "x" })).status).toBe(404);
    const junk = await s.fetch(`${base}/domain`, { method: "POST", headers: { "content-type": "application/json" }, body: "[[[" });
    expect(junk.status).toBe(422);
  });

  it("duplicates are conflicts, and a bad row in a bulk add saves nothing", async () => {
    const dup = await s.post<ErrBody>(`${base}/domain`, { value: "ACME-ROCKETS.com" });
    expect(dup.status).toBe(409);
    expect(dup.body.error.issues?.[0]?.path).toBe("value");
    const before = (await s.get<{ items: Item[] }>(`${base}/domain`)).body.items.length;
    const bulk = await s.post<ErrBody>(`${base}/domain`, { items: [{ value: "good-one.com" }, { value: "bad domain" }, { value: "good-two.com" }] });
    expect(bulk.status).toBe(422);
    expect(bulk.body.error.issues?.map((i) => i.path)).toEqual(["items.1.value"]);
    const withDup = await s.post<ErrBody>(`${base}/domain`, { items: [{ value: "good-one.com" }, { value: "acme-rockets.com" }] });
    expect(withDup.status).toBe(409);
    expect((await s.get<{ items: Item[] }>(`${base}/domain`)).body.items.length).toBe(before);
    const ok = await s.post<{ items: Item[] }>(`${base}/domain`, { items: [{ value: "good-one.com" }, { value: "good-two.com" }] });
    expect(ok.status).toBe(201);
    expect((await s.get<{ items: Item[] }>(`${base}/domain`)).body.items.length).toBe(before + 2);
  });

  it("updates notes, deletes items, and audits every change", async () => {
    const items = (await s.get<{ items: Item[] }>(`${base}/known_name`)).body.items;
    const target = items.find((i) => i.value === "Acme Rockets")!;
    const upd = await s.patch<{ item: Item }>(`${base}/items/${target.id}`, { notes: "renamed in 2025" });
    expect(upd.status).toBe(200);
    expect(upd.body.item.notes).toBe("renamed in 2025");
    expect((await s.patch<ErrBody>(`${base}/items/${target.id}`, { notes: 5 })).status).toBe(422);
    expect((await s.del(`${base}/items/${target.id}`)).status).toBe(204);
    expect((await s.del(`${base}/items/${target.id}`)).status).toBe(404);
    const audit = await s.get<{ entries: { action: string; targetId: string | null; actorEmail: string; details: Record<string, unknown> }[] }>(
      base.replace("/identity", "/audit"),
    );
    const forTarget = audit.body.entries.filter((e) => e.targetId === target.id).map((e) => e.action);
    expect(forTarget).toEqual(["identity.remove", "identity.update", "identity.add"]);
    expect(audit.body.entries.every((e) => e.actorEmail?.includes("@"))).toBe(true);
    expect(audit.body.entries.some((e) => e.action === "org.create")).toBe(true);
  });
});
