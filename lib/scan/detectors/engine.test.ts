import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fingerprint } from "../fingerprint";
import type { TextContext } from "../types";
import { scanText } from "./index";
import { CS, Fakes } from "./test-fakes";
import { awsAccountFromKeyId, base32Decode, isPlaceholder, validCrc32Token } from "./util";
import { KeywordPrefilter } from "./wasm/prefilter";

const f = new Fakes(99);
const ENV: TextContext = { source: "file", path: "/app/.env" };

describe("AWS account id from the key id", () => {
  it("decodes the published example ASIAY34FZKBOKMUTVV7A → 609629065308", () => {
    expect(awsAccountFromKeyId("ASIAY34FZKBOKMUTVV7A")).toBe("609629065308");
  });
  it("has no account for legacy ids (5th char I/J) or malformed ids", () => {
    expect(awsAccountFromKeyId("AKIAIOSFODNN7EXAMPLE")).toBeNull();
    expect(awsAccountFromKeyId("AKIA123")).toBeNull();
    expect(awsAccountFromKeyId("AKIAY34FZKBOKMUTVV7!")).toBeNull();
  });
  it("round-trips an account id encoded the same way", () => {
    // build a key id whose first 6 decoded bytes carry account << 7
    const account = 123456789012n;
    const bytes = Buffer.alloc(10);
    const n = account << 7n;
    for (let i = 0; i < 6; i++) bytes[i] = Number((n >> BigInt(8 * (5 - i))) & 0xffn);
    let bits = "";
    for (const b of bytes) bits += b.toString(2).padStart(8, "0");
    let tail = "";
    for (let i = 0; i < 80; i += 5) tail += CS.base32[parseInt(bits.slice(i, i + 5), 2)];
    expect(Array.from(base32Decode(tail)?.subarray(0, 6) ?? [])).toEqual(Array.from(bytes.subarray(0, 6)));
    expect(awsAccountFromKeyId(`AKIA${tail}`)).toBe("123456789012");
  });
  it("puts the account id, the secret half and its line in the pair finding", () => {
    const secret = `Zq${f.s(CS.b64, 38)}`;
    const text = `AWS_ACCESS_KEY_ID=ASIAY34FZKBOKMUTVV7A\n\nAWS_SECRET_ACCESS_KEY=${secret}\n`;
    const [m, ...rest] = scanText(text, ENV);
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ detector: "aws-access-key", secret, line: 3, severity: "critical" });
    expect(m?.hints).toContainEqual({ type: "aws_account_id", value: "609629065308" });
  });
});

describe("checksummed tokens", () => {
  it("accepts GitHub/npm tokens whose CRC32 matches and rejects any single-char change", () => {
    for (const p of ["ghp_", "npm_"]) {
      const t = f.checksummed(p);
      expect(validCrc32Token(t, 4)).toBe(true);
      for (const i of [4, 20, 33, t.length - 1]) {
        const c = t[i] === "a" ? "b" : "a";
        expect(validCrc32Token(t.slice(0, i) + c + t.slice(i + 1), 4)).toBe(false);
      }
    }
  });
});

describe("fingerprint rules", () => {
  it("PEM: the text from -----BEGIN through the closing ----- of the END line", () => {
    const pem = f.pem("EC PRIVATE KEY");
    const text = `key: |\n${pem}\ntrailing text\n`;
    const [m] = scanText(text, ENV);
    expect(m?.secret).toBe(pem);
    expect(m?.line).toBe(2);
    expect(fingerprint(m?.secret ?? "")).toBe(createHash("sha256").update(pem).digest("hex"));
  });
  it("a PEM inside a JSON string keeps its escaped form as it appears", () => {
    const pem = f.pem("RSA PRIVATE KEY");
    const text = JSON.stringify({ key: pem });
    const [m] = scanText(text, { source: "file", path: "/app/k.json" });
    expect(m?.detector).toBe("rsa-private-key");
    expect(m?.secret).toBe(JSON.stringify(pem).slice(1, -1));
  });
  it("URLs with an empty user name still report the password", () => {
    const pw = f.s(CS.alnum, 20);
    const ms = scanText(`node server.js --redis redis://:${pw}@redis.cache.acme-prod.io:6379/0`, { source: "cmd" });
    expect(ms.map((m) => [m.detector, m.secret])).toEqual([["redis-url", pw]]);
    expect(ms[0]?.hints).toContainEqual({ type: "host", value: "redis.cache.acme-prod.io" });
  });
  it("user:password pairs report the password only", () => {
    const pw = f.s(CS.alnum, 20);
    const [m] = scanText(`REDIS_URL=redis://cache:${pw}@redis.acme-prod.io:6379\n`, ENV);
    expect(m).toMatchObject({ detector: "redis-url", secret: pw });
    expect(m?.hints).toEqual(expect.arrayContaining([{ type: "host", value: "redis.acme-prod.io" }, { type: "username", value: "cache" }]));
  });
});

describe("decoders", () => {
  it("docker config: password from the base64 auth, on the line of the encoded value, with registry and user hints", () => {
    const pw = f.s(CS.alnum, 24);
    const text = [
      "{",
      '  "auths": {',
      '    "ghcr.io": {',
      `      "auth": "${Buffer.from(`octo-bot:${pw}`).toString("base64")}"`,
      "    },",
      '    "registry.acme.io": {',
      `      "auth": "${Buffer.from(`svc:${pw}X`).toString("base64")}"`,
      "    }",
      "  }",
      "}",
    ].join("\n");
    const ms = scanText(text, { source: "file", path: "/root/.docker/config.json" });
    expect(ms.map((m) => [m.detector, m.line, m.secret])).toEqual([
      ["docker-config-auth", 4, pw],
      ["docker-config-auth", 7, `${pw}X`],
    ]);
    expect(ms[0]?.hints).toEqual(expect.arrayContaining([{ type: "host", value: "ghcr.io" }, { type: "username", value: "octo-bot" }]));
    expect(ms[1]?.hints).toContainEqual({ type: "host", value: "registry.acme.io" });
  });
  it("a config.json without auths is left to the line detectors", () => {
    expect(scanText('{"name": "x", "auth": "Ym9iOnNlY3JldA=="}', { source: "file", path: "/app/config.json" })).toEqual([]);
  });
  it(".npmrc: a checksum-valid npm token is reported by the npm detector, not twice", () => {
    const t = f.checksummed("npm_");
    const ms = scanText(`@acme:registry=https://npm.pkg.github.com\n//registry.npmjs.org/:_authToken=${t}\n`, { source: "file", path: "/home/node/.npmrc" });
    expect(ms.map((m) => [m.detector, m.line])).toEqual([["npm-token", 2]]);
  });
  it(".netrc entries on one line and across lines", () => {
    const a = f.s(CS.alnum, 16);
    const b = f.s(CS.alnum, 16);
    const ms = scanText(`machine one.acme.io login alice password ${a}\n\nmachine two.acme.io\n login bob\n password ${b}\n`, { source: "file", path: "/root/.netrc" });
    expect(ms.map((m) => [m.secret, m.line])).toEqual([[a, 1], [b, 5]]);
    expect(ms[1]?.hints).toEqual(expect.arrayContaining([{ type: "host", value: "two.acme.io" }, { type: "username", value: "bob" }]));
  });
  it(".aws/credentials: secret keys per profile; a secret without a key id is still reported", () => {
    const s1 = `Ab${f.s(CS.b64, 38)}`;
    const text = `[default]\naws_access_key_id = AKIA${f.s(CS.base32, 16)}\naws_secret_access_key = ${s1}\n[ci]\naws_secret_access_key = ${f.s(CS.b64, 40)}\n`;
    const ms = scanText(text, { source: "file", path: "/root/.aws/credentials" });
    expect(ms.map((m) => [m.detector, m.line])).toEqual([
      ["aws-access-key", 3],
      ["aws-secret-access-key", 5],
    ]);
    expect(ms[0]?.secret).toBe(s1);
  });
  it(".git-credentials: token with host and remote hints", () => {
    const t = f.s(CS.alnum, 30);
    const [m] = scanText(`https://bot%40acme:${t}@gitlab.acme.io\n`, { source: "file", path: "/root/.git-credentials" });
    expect(m).toMatchObject({ detector: "git-credentials", secret: t, line: 1 });
    expect(m?.hints).toEqual(expect.arrayContaining([{ type: "username", value: "bot@acme" }, { type: "host", value: "gitlab.acme.io" }]));
  });
});

describe("attribution hints", () => {
  it("GCP service account: client_email and project", () => {
    const pem = f.pem("PRIVATE KEY");
    const text = JSON.stringify({ type: "service_account", project_id: "shop-prod-42", private_key: pem, client_email: "ci@shop-prod-42.iam.gserviceaccount.com" }, null, 1);
    const [m] = scanText(text, { source: "file", path: "/app/key.json" });
    expect(m?.detector).toBe("gcp-service-account");
    expect(m?.hints).toContainEqual({ type: "email", value: "ci@shop-prod-42.iam.gserviceaccount.com" });
    expect(m?.hints.some((h) => h.type === "url" && h.value.includes("shop-prod-42"))).toBe(true);
  });
  it("Twilio: the account SID next to the key", () => {
    const sid = `AC${f.s(CS.hex, 32)}`;
    const [m] = scanText(`TWILIO_ACCOUNT_SID=${sid}\nTWILIO_AUTH_TOKEN=${f.s(CS.hex, 32)}\n`, ENV);
    expect(m?.detector).toBe("twilio-auth-token");
    expect(m?.hints).toContainEqual({ type: "username", value: sid });
  });
  it("emails next to a secret", () => {
    const t = f.checksummed("ghp_");
    const [m] = scanText(`# owner: jane.doe@acme-corp.io\nGH_TOKEN=${t}\n`, ENV);
    expect(m?.detector).toBe("github-pat");
    const g = scanText(`MAINTAINER=ops@acme-corp.io\nAPI_SECRET="${f.s(CS.alnum, 32)}"\n`, ENV);
    expect(g[0]?.hints).toContainEqual({ type: "email", value: "ops@acme-corp.io" });
  });
});

describe("sources and contexts", () => {
  it("Dockerfile history lines: ENV KEY value and --password flags", () => {
    const pw = `${f.s(CS.alnum, 12)}9`;
    const h1 = scanText(`/bin/sh -c #(nop)  ENV DB_PASSWORD ${pw}`, { source: "history" });
    expect(h1.map((m) => m.secret)).toEqual([pw]);
    const h2 = scanText(`RUN mysql --password ${pw} -e 'select 1'`, { source: "history" });
    expect(h2.map((m) => m.secret)).toEqual([pw]);
  });
  it("a real-looking password that contains a secret word is still reported; variable names are not", () => {
    expect(scanText('{"password": "S3cure!Pass2024"}', { source: "file", path: "/app/config.json" }).map((m) => m.secret)).toEqual(["S3cure!Pass2024"]);
    expect(scanText('password: "db_password_var"\nsecret: "my-secret"\ntoken: "mysecret"\n', { source: "file", path: "/app/c.yaml" })).toEqual([]);
  });
  it("unquoted values in source code are expressions, quoted literals are values", () => {
    const v = f.s(CS.alnum, 24);
    expect(scanText(`const apiToken = config.get(x)\nconst secret = ${v}\n`, { source: "file", path: "/app/a.js" })).toEqual([]);
    expect(scanText(`const clientSecret = "${v}";\n`, { source: "file", path: "/app/a.js" }).map((m) => m.secret)).toEqual([v]);
  });
  it("test/fixture/example paths are kept as low severity", () => {
    const t = f.checksummed("ghp_");
    expect(scanText(`t=${t}`, { source: "file", path: "/app/test/fixtures/a.txt" })[0]?.severity).toBe("low");
    expect(scanText(`t=${t}`, { source: "file", path: "/app/src/a.txt" })[0]?.severity).toBe("critical");
  });
  it("CRLF text and several secrets per line keep 1-based lines", () => {
    const a = f.checksummed("ghp_");
    const b = `glpat-${f.s(CS.alnum, 20)}`;
    const ms = scanText(`first\r\nsecond\r\nA=${a} B=${b}\r\n`, ENV);
    expect(ms.map((m) => [m.detector, m.line])).toEqual([
      ["github-pat", 3],
      ["gitlab-pat", 3],
    ]);
  });
});

describe("keyword prefilter", () => {
  const pf = new KeywordPrefilter(["ghp_", "eyj", "password", "-----begin "]);
  const hits = (t: string) => {
    const out: [string, number][] = [];
    pf.scan(t, (k, i) => out.push([pf.keywords[k] as string, i]));
    return out.sort((x, y) => x[1] - y[1]);
  };
  it("finds keywords case-insensitively at the start, the end and in between", () => {
    expect(hits("eyJabc PASSWORD x ghp_")).toEqual([
      ["eyj", 0],
      ["password", 7],
      ["ghp_", 18],
    ]);
  });
  it("finds keywords across the 256 KiB chunk boundary and after non-ASCII text", () => {
    const chunk = 256 * 1024;
    for (const at of [chunk - 4, chunk - 3, chunk - 2, chunk - 1, chunk, chunk + 1]) {
      const t = "é".repeat(at) + "password" + "x".repeat(10);
      expect(hits(t)).toEqual([["password", at]]);
    }
  });
  it("agrees with indexOf on random text", () => {
    const r = new Fakes(5);
    const t = Array.from({ length: 2000 }, () => r.s("ghp_eyjJPASWORD -", 6)).join("");
    const expected: [string, number][] = [];
    for (const k of ["ghp_", "eyj", "password", "-----begin "]) {
      let p = t.toLowerCase().indexOf(k);
      while (p >= 0) {
        expected.push([k, p]);
        p = t.toLowerCase().indexOf(k, p + 1);
      }
    }
    expect(hits(t)).toEqual(expected.sort((x, y) => x[1] - y[1]));
  });
});

describe("keyword prefilter with the real keyword list", () => {
  it("reports exactly the occurrences indexOf finds, whatever gram indexes each keyword", async () => {
    const { TOKEN_DETECTORS } = await import("./rules/tokens");
    const { STRUCTURED_DETECTORS } = await import("./rules/structured");
    const { GENERIC_DETECTORS } = await import("./rules/generic");
    const kws = [...new Set([...STRUCTURED_DETECTORS, ...TOKEN_DETECTORS, ...GENERIC_DETECTORS].flatMap((d) => d.keywords.map((k) => k.toLowerCase())))];
    const pf = new KeywordPrefilter(kws);
    const r = new Fakes(11);
    // random text made of keyword pieces, separators and upper-cased copies
    const parts: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const k = kws[Math.floor(r.s("0123456789", 3).split("").reduce((a, c) => a * 10 + Number(c), 0) % kws.length)] as string;
      const piece = r.s("ab", 1) === "a" ? k : k.slice(0, Math.max(1, k.length - 2));
      parts.push(r.s("ab", 1) === "a" ? piece.toUpperCase() : piece, r.s(" _-x=:", 1));
    }
    const text = parts.join("");
    const lower = text.toLowerCase();
    const expected: string[] = [];
    for (const k of kws) {
      let p = lower.indexOf(k);
      while (p >= 0) {
        expected.push(`${k}@${p}`);
        p = lower.indexOf(k, p + 1);
      }
    }
    const got: string[] = [];
    pf.scan(text, (k, i) => got.push(`${pf.keywords[k]}@${i}`));
    expect(got.sort()).toEqual(expected.sort());
  });
});

describe("placeholders", () => {
  it.each(["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "xxxxxxxxxxxxxxxx", "<your-key>", "${VAR}", "$VAR", "{{ var }}", "changeme", "password", "example", "dummy", "test", "d41d8cd98f00b204e9800998ecf8427e", "da39a3ee5e6b4b0d3255bfef95601890afd80709", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "123e4567-e89b-12d3-a456-426614174000", "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="])(
    "%s is not a secret",
    (v) => {
      expect(isPlaceholder(v)).toBe(true);
      expect(scanText(`API_SECRET=${v}\npassword: "${v}"\n`, ENV)).toEqual([]);
    },
  );
  it("a random value of the same place is one", () => {
    expect(isPlaceholder(f.s(CS.alnum, 24))).toBe(false);
  });
  it("lock files: integrity strings and resolved URLs are not secrets", () => {
    const lock = JSON.stringify({ packages: { "node_modules/x": { version: "1.0.0", resolved: "https://registry.npmjs.org/x/-/x-1.0.0.tgz", integrity: `sha512-${f.b64(64)}` } } }, null, 2);
    expect(scanText(lock, { source: "file", path: "/app/package-lock.json" })).toEqual([]);
  });
});

describe("hostile input completes (linear time)", () => {
  const ctx: TextContext = { source: "file", path: "/app/x.env" };
  it.each([
    ["1 MB of a", "a".repeat(1 << 20)],
    ["password= x 100k", "password=".repeat(100_000)],
    ["password=value lines 100k", "password=Zx9vQ2mN7pL4kJ9h\n".repeat(20_000)],
    ["ghp_ repeated on one line", "ghp_".repeat(200_000)],
    ["eyJ repeated", "eyJ".repeat(300_000)],
    ["jwt-ish segments", `eyJ${"a".repeat(100_000)}.eyJ${"b".repeat(100_000)}.${"c".repeat(100_000)}`],
    ["URL schemes without end", "postgres://a:".repeat(100_000)],
    ["PEM begin without end", "-----BEGIN RSA PRIVATE KEY-----\n".repeat(30_000)],
    ["private_key JSON open string", `{"private_key": "${"A".repeat(1 << 20)}`],
    ["AKIA everywhere", "AKIA".repeat(250_000)],
    ["long line of base64", f.b64(1 << 20)],
    ["secret: repeated", "secret: ".repeat(100_000)],
    ["nested quotes", `token="${'"'.repeat(500_000)}`],
    ["://@ soup", "a://b:c@".repeat(100_000)],
  ])("%s", (_name, text) => {
    const ms = scanText(text, ctx);
    expect(Array.isArray(ms)).toBe(true);
    expect(ms.length).toBeLessThanOrEqual(5000);
  });
  it("hostile docker config and netrc", () => {
    expect(Array.isArray(scanText(`{"auths":{${'"a":{"auth":"'.repeat(50_000)}`, { source: "file", path: "/root/.docker/config.json" }))).toBe(true);
    expect(Array.isArray(scanText("machine password login ".repeat(100_000), { source: "file", path: "/root/.netrc" }))).toBe(true);
  });
});

describe("the byte gate (image files are decoded only when a keyword is present)", () => {
  const gate = scanText.gate as (b: Uint8Array, path: string) => boolean;
  it("skips text without any detector keyword", () => {
    expect(gate(Buffer.from("just some prose, nothing to see here\n".repeat(50)), "/app/notes.md")).toBe(false);
  });
  it("keeps a file with a keyword, and hands its hits to the scan of the same bytes", () => {
    const text = `const url = "postgres://app:Zq8vR2mK7xT4wP9s@db.acme-prod.io:5432/app";\n`;
    const bytes = Buffer.from(text, "latin1");
    expect(gate(bytes, "/app/server.js")).toBe(true);
    const m = scanText(text, { source: "file", path: "/app/server.js" }, bytes);
    expect(m.map((x) => x.detector)).toEqual(["postgres-url"]);
  });
  it("keeps credentials files whatever their content: decoders read them without keywords", () => {
    const auth = Buffer.from("deploy:Hn3kQ9wz7LpX2v").toString("base64");
    const text = `{"auths":{"registry.acme.io":{"auth":"${auth}"}}}`;
    const bytes = Buffer.from(text, "latin1");
    expect(gate(bytes, "/root/.docker/config.json")).toBe(true);
    expect(scanText(text, { source: "file", path: "/root/.docker/config.json" }, bytes).map((x) => x.detector)).toContain("docker-config-auth");
    expect(gate(Buffer.from("x"), "/root/.npmrc")).toBe(true);
    expect(gate(Buffer.from("x"), "/etc/app/settings.yaml")).toBe(true);
  });
  it("skips a file whose keyword hits all fail their detector's precheck", () => {
    // the shapes that dominate real images: links without credentials, AKIA/EAAA inside base64
    // and source-map mappings, "token"/"password" words that are not assigned anything
    const text = [
      `see https://docs.example.org/guide?x=1 and git://github.com/acme/app.git`,
      `"mappings": "AAAA,EAAAA,SAAS,EAAAC;AAAA,EAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA;IAAAA"`,
      `data:font/woff2;base64,d09GMgABAAAAAKIAAAAAAKIAAAAAAKIAAAAAAKIAAAABIAAAAAAA`,
      `tokenize(input); // the password field is validated in secret.ts`,
    ].join("\n");
    const bytes = Buffer.from(text, "latin1");
    expect(gate(bytes, "/app/dist/index.js")).toBe(false);
    expect(scanText(text, { source: "file", path: "/app/dist/index.js" })).toEqual([]);
    // one live hit is enough to decode the file
    const live = Buffer.from(`${text}\nDB=postgres://app:Zq8vR2mK7xT4wP9s@db.acme-prod.io/app\n`, "latin1");
    expect(gate(live, "/app/dist/index.js")).toBe(true);
  });
  it("does not reuse hits gathered for other bytes", () => {
    const text = `const url = "postgres://app:Zq8vR2mK7xT4wP9s@db.acme-prod.io:5432/app";\n`;
    const other = Buffer.from("token=x".padEnd(text.length, " "), "latin1");
    expect(gate(other, "/a.txt")).toBe(true);
    // the scan of different bytes (same length) ignores the hits kept for `other`
    const m = scanText(text, { source: "file", path: "/app/server.js" }, Buffer.from(text, "latin1"));
    expect(m.map((x) => x.detector)).toEqual(["postgres-url"]);
  });
});
