import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { fingerprint } from "../fingerprint";
import type { ImageConfig } from "../../hub/types";
import type { ImageScanResult } from "../types";
import { parseImageRef, scanImage } from "./scan-image";
import { gzip, makeTar, makeZip, tarHeader, zstdRaw, zstdRleBomb, type TarItem } from "./test-archives";
import { testDetect } from "./test-detector";
import { fakeRegistry, type FakePlatform } from "./test-registry";
import { Fakes } from "../detectors/test-fakes";
import { SCANNER_VERSION } from "../version";

const S1 = "SECRET_AAAA1111";
const S2 = "SECRET_BBBB2222";
const S3 = "SECRET_CCCC3333";
const EMPTY_CONFIG: ImageConfig = { config: {}, history: [] };

function layer(items: TarItem[], compress: "gzip" | "zstd" | "none" = "gzip") {
  const t = makeTar(items);
  return { blob: compress === "gzip" ? gzip(t) : compress === "zstd" ? zstdRaw(t) : t };
}

async function scan(platforms: FakePlatform[], opts: { platform?: string; limits?: Parameters<typeof scanImage>[1]["limits"] } = {}) {
  const registry = fakeRegistry(platforms);
  const r = await scanImage("acme/app:1.0", { registry, detect: testDetect, ...opts });
  return { r, registry };
}

function byFp(r: ImageScanResult, secret: string) {
  return r.findings.find((f) => f.fingerprint === fingerprint(secret));
}

function one(layers: FakePlatform["layers"], config: ImageConfig = EMPTY_CONFIG): FakePlatform[] {
  return [{ os: "linux", architecture: "amd64", config, layers }];
}

describe("parseImageRef", () => {
  it("parses tags, digests and official images", () => {
    expect(parseImageRef("acme/app")).toEqual({ repository: "acme/app", reference: "latest" });
    expect(parseImageRef("acme/app:v1.2")).toEqual({ repository: "acme/app", reference: "v1.2" });
    expect(parseImageRef(`acme/app@sha256:${"a".repeat(64)}`)).toEqual({ repository: "acme/app", reference: `sha256:${"a".repeat(64)}` });
    expect(parseImageRef("nginx")).toEqual({ repository: "library/nginx", reference: "latest" });
    expect(() => parseImageRef("Acme/App")).toThrow(/invalid image reference/);
    expect(() => parseImageRef("acme/app:")).toThrow(/invalid image reference/);
  });
});

describe("scanImage", () => {
  it("scans config sources and gzip, zstd and plain layers", async () => {
    const config: ImageConfig = {
      config: { Env: ["PATH=/bin", `KEY=${S1}`], Labels: { note: `x ${S2}` }, Cmd: ["run", "--token", S3] },
      history: [{ created_by: "RUN true" }, { created_by: `ENV K=${S1}` }],
    };
    const { r } = await scan(
      one(
        [layer([{ name: "a.env", content: `x\nT=${S1}\n` }]), layer([{ name: "b.env", content: S2 }], "zstd"), layer([{ name: "./c.env", content: S3 }], "none")],
        config,
      ),
    );
    expect(r.errors).toEqual([]);
    const f1 = byFp(r, S1)!;
    expect(f1.locations.map((l) => [l.source, l.path, l.line])).toEqual([
      ["env", "KEY", 2],
      ["history", null, 2],
      ["file", "/a.env", 2],
    ]);
    expect(byFp(r, S2)!.locations.map((l) => l.source)).toEqual(["label", "file"]);
    expect(byFp(r, S3)!.locations.map((l) => [l.source, l.path])).toEqual([
      ["cmd", "Cmd"],
      ["file", "/c.env"],
    ]);
    expect(r.stats.layers).toBe(3);
    expect(r.platforms).toEqual(["linux/amd64"]);
    // no raw secret anywhere in the result
    expect(JSON.stringify(r)).not.toMatch(/SECRET_[A-Z0-9]{8}/);
  });

  it("marks files deleted by a later whiteout, with the layer that holds them", async () => {
    const l0 = layer([{ name: "app/.env", content: S1 }, { name: "app/keep.env", content: S2 }]);
    const l1 = layer([{ name: "app/.wh..env", content: "" }]);
    const { r, registry } = await scan(one([l0, l1]));
    const f1 = byFp(r, S1)!;
    expect(f1.deleted).toBe(true);
    expect(f1.layerDigest).toBe(registry.opened[0]);
    expect(byFp(r, S2)!.deleted).toBe(false);
  });

  it("whiteout of a directory hides everything below it", async () => {
    const { r } = await scan(one([layer([{ name: "secrets/deep/a.txt", content: S1 }]), layer([{ name: "secrets/.wh.deep" }])]));
    expect(byFp(r, S1)!.deleted).toBe(true);
  });

  it("opaque directories hide lower-layer contents only", async () => {
    const l0 = layer([{ name: "etc/conf/a.txt", content: S1 }, { name: "etc/other.txt", content: S2 }]);
    const l1 = layer([{ name: "etc/conf/.wh..wh..opq" }, { name: "etc/conf/b.txt", content: S3 }]);
    const { r } = await scan(one([l0, l1]));
    expect(byFp(r, S1)!.deleted).toBe(true);
    expect(byFp(r, S2)!.deleted).toBe(false);
    expect(byFp(r, S3)!.deleted).toBe(false);
  });

  it("an overwritten file is deleted; the same secret re-added stays live at top level", async () => {
    const l0 = layer([{ name: "cfg.ini", content: S1 }, { name: "dir/x.txt", content: S2 }]);
    const l1 = layer([{ name: "cfg.ini", content: "clean" }, { name: "dir", type: "2", linkname: "/tmp" }]);
    const l2 = layer([{ name: "again.ini", content: S1 }]);
    const { r, registry } = await scan(one([l0, l1, l2]));
    const f1 = byFp(r, S1)!;
    expect(f1.locations.map((l) => l.deleted)).toEqual([true, false]);
    expect(f1.deleted).toBe(false);
    expect(f1.path).toBe("/again.ini");
    expect(f1.layerDigest).toBe(registry.opened[2]);
    // a symlink replacing a directory hides the directory's old files
    expect(byFp(r, S2)!.deleted).toBe(true);
  });

  it("aggregates the same secret across platforms into one finding with both locations", async () => {
    const mk = (arch: string): FakePlatform => ({
      os: "linux",
      architecture: arch,
      config: EMPTY_CONFIG,
      layers: [layer([{ name: `opt/${arch}.env`, content: S1 }])],
    });
    const { r } = await scan([mk("amd64"), mk("arm64")]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.locations.map((l) => l.platform)).toEqual(["linux/amd64", "linux/arm64"]);
    const only = await scan([mk("amd64"), mk("arm64")], { platform: "linux/arm64" });
    expect(only.r.findings[0]!.locations.map((l) => l.platform)).toEqual(["linux/arm64"]);
  });

  it("scans a layer shared by two platforms once, yet applies its whiteouts to each", async () => {
    const shared = layer([{ name: ".wh.a.txt" }, { name: "b.txt", content: S2 }]);
    const plat = (arch: string, sec: string): FakePlatform => ({
      os: "linux",
      architecture: arch,
      config: EMPTY_CONFIG,
      layers: [layer([{ name: "a.txt", content: sec }]), shared],
    });
    const { r, registry } = await scan([plat("amd64", S1), plat("arm64", S3)]);
    expect(byFp(r, S1)!.deleted).toBe(true);
    expect(byFp(r, S3)!.deleted).toBe(true);
    expect(byFp(r, S2)!.locations.map((l) => l.platform)).toEqual(["linux/amd64", "linux/arm64"]);
    expect(r.stats.layers).toBe(3);
    // second visit only walks paths (whiteouts), detection is not re-run
    expect(registry.opened.length).toBe(4);
  });

  it("sniffs jar members by content, not by name: class files are dropped unread, text named .class is scanned", async () => {
    // a real class file's head: magic, version, then a constant pool (here holding a token-like string)
    const classFile = Buffer.concat([Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 61, 0, 20, 1, 0, 15]), Buffer.from("SECRET_CLASS111"), Buffer.alloc(400, 7)]);
    const jar = makeZip([
      { name: "com/acme/Real.class", content: classFile },
      { name: "com/acme/Fake.class", content: `token=${S1}\n`.repeat(40) },
      { name: "com/acme/Tiny.class", content: Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0]) },
      { name: "application.properties", content: `db.password=${S2}\n` },
    ]);
    const { r } = await scan(one([layer([{ name: "app/app.jar", content: jar }])]));
    expect(byFp(r, S1)!.path).toBe("/app/app.jar!/com/acme/Fake.class");
    expect(byFp(r, S2)!.path).toBe("/app/app.jar!/application.properties");
    // binaries are not scanned (a known gap, docs/scanner.md), whether judged by a head or inflated
    expect(byFp(r, "SECRET_CLASS111")).toBeUndefined();
    expect(r.errors).toEqual([]);
  });

  it("looks inside zip/jar, tar.gz, .gz and plain nested tar, to the depth limit", async () => {
    const jar = makeZip([
      { name: "META-INF/MANIFEST.MF", content: "Manifest-Version: 1.0\n" },
      { name: "BOOT-INF/classes/application.properties", content: `db.password=${S1}\n` },
      { name: "stored.txt", content: S3, store: true },
    ]);
    const innerTgz = gzip(makeTar([{ name: "conf/inner.env", content: S2 }]));
    const deepZip = makeZip([{ name: "lvl1.zip", content: makeZip([{ name: "lvl2.zip", content: makeZip([{ name: "deep.txt", content: "SECRET_DEEPDEEP1" }]) }]) }]);
    const plainTar = makeTar([{ name: "x/y.txt", content: "SECRET_TARTAR11" }]);
    const { r } = await scan(
      one([
        layer([
          { name: "app/app.jar", content: jar },
          { name: "backup/conf.tgz", content: innerTgz },
          { name: "logs/old.log.gz", content: gzip(Buffer.from("SECRET_GZGZGZ11 in a log")) },
          { name: "deep.zip", content: deepZip },
          { name: "bundle.tar", content: plainTar },
        ]),
      ]),
    );
    expect(byFp(r, S1)!.path).toBe("/app/app.jar!/BOOT-INF/classes/application.properties");
    expect(byFp(r, S3)!.path).toBe("/app/app.jar!/stored.txt");
    expect(byFp(r, S2)!.path).toBe("/backup/conf.tgz!/conf/inner.env");
    expect(byFp(r, "SECRET_GZGZGZ11")!.path).toBe("/logs/old.log.gz!/old.log");
    expect(byFp(r, "SECRET_TARTAR11")!.path).toBe("/bundle.tar!/x/y.txt");
    // depth 0: deep.zip, 1: lvl1.zip, 2: lvl2.zip (not opened at the default depth 2)
    expect(byFp(r, "SECRET_DEEPDEEP1")).toBeUndefined();
    expect(r.notices?.some((n) => /beyond depth 2/.test(n.message))).toBe(true);
    const deeper = await scan(one([layer([{ name: "deep.zip", content: deepZip }])]), { limits: { maxNestedDepth: 3 } });
    expect(byFp(deeper.r, "SECRET_DEEPDEEP1")!.path).toBe("/deep.zip!/lvl1.zip!/lvl2.zip!/deep.txt");
  });

  it("leaves package-manager .gz docs unexpanded unless asked, and keeps other .gz files and hits in layer order", async () => {
    const items = [
      { name: "usr/share/doc/libfoo/changelog.Debian.gz", content: gzip(Buffer.from("SECRET_DOCDOC11 in a changelog")) },
      { name: "usr/share/man/man1/foo.1.gz", content: gzip(Buffer.from("SECRET_MANMAN11 in a man page")) },
      { name: "usr/share/doc/libfoo/README", content: "SECRET_PLAINDOC1 plain docs are still scanned" },
      { name: "var/log/app.log.gz", content: gzip(Buffer.from("SECRET_LOGLOG11 in a rotated log")) },
      { name: "usr/local/share/doc/mine.gz", content: gzip(Buffer.from("SECRET_LOCAL111 outside the package dirs")) },
      { name: "z-last.txt", content: "SECRET_LASTLAST1" },
    ];
    const { r } = await scan(one([layer(items)]));
    expect(byFp(r, "SECRET_DOCDOC11")).toBeUndefined();
    expect(byFp(r, "SECRET_MANMAN11")).toBeUndefined();
    expect(r.notices?.some((n) => /2 compressed package documentation files .* not expanded/.test(n.message))).toBe(true);
    expect(byFp(r, "SECRET_PLAINDOC1")!.path).toBe("/usr/share/doc/libfoo/README");
    expect(byFp(r, "SECRET_LOGLOG11")!.path).toBe("/var/log/app.log.gz!/app.log");
    expect(byFp(r, "SECRET_LOCAL111")!.path).toBe("/usr/local/share/doc/mine.gz!/mine");
    // .gz files inflate on the thread pool and finish out of order; findings keep layer order
    const order = ["SECRET_PLAINDOC1", "SECRET_LOGLOG11", "SECRET_LOCAL111", "SECRET_LASTLAST1"].map((s) => r.findings.findIndex((f) => f.fingerprint === fingerprint(s)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(r.scannerVersion).toBe(SCANNER_VERSION);
    const all = await scan(one([layer(items)]), { limits: { expandPackageDocs: true } });
    // not the standard scan of this digest: the shared cache must not serve it to others
    expect(all.r.scannerVersion).toBe(`${SCANNER_VERSION}+custom-limits`);
    expect(byFp(all.r, "SECRET_DOCDOC11")!.path).toBe("/usr/share/doc/libfoo/changelog.Debian.gz!/changelog.Debian");
    expect(byFp(all.r, "SECRET_MANMAN11")!.path).toBe("/usr/share/man/man1/foo.1.gz!/foo.1");
  });

  it("finds every secret of a large file exactly once with its line, including across the slices it is scanned in", async () => {
    // ~400 KiB of 64-byte lines; secrets near the start, across the first slice's end (112 KiB),
    // inside the overlap, just after it and deep in the file
    const lines = Array.from({ length: 6400 }, (_, i) => `line ${String(i + 1).padStart(5, "0")} ${"f".repeat(52)}`);
    const plant: Record<number, string> = {};
    for (const [offset, secret] of [
      [10, "SECRET_STARTSTART"],
      [112 * 1024 - 20, "SECRET_STRADDLE1"],
      [100 * 1024, "SECRET_OVERLAP11"],
      [113 * 1024, "SECRET_AFTEROVER"],
      [390 * 1024, "SECRET_DEEPDEEP2"],
    ] as const) {
      const line = Math.floor(offset / 65);
      lines[line] = `${lines[line]!.slice(0, 20)}${secret}${lines[line]!.slice(20 + secret.length)}`;
      plant[line + 1] = secret;
    }
    const text = `${lines.join("\n")}\n`;
    const minified = `${"m".repeat(112 * 1024 - 5)} SECRET_ONELINE11 ${"m".repeat(200 * 1024)} SECRET_ONELINE22 ${"m".repeat(50)}`;
    const { r } = await scan(one([layer([{ name: "big.log", content: text }, { name: "bundle.min.js", content: minified }])]));
    for (const [line, secret] of Object.entries(plant)) {
      const f = byFp(r, secret);
      expect(f, secret).toBeDefined();
      expect(f!.locations).toHaveLength(1);
      expect(f!.line).toBe(Number(line));
      expect(text.split("\n")[f!.line! - 1]).toContain(secret);
    }
    for (const secret of ["SECRET_ONELINE11", "SECRET_ONELINE22"]) {
      expect(byFp(r, secret)!.locations).toEqual([expect.objectContaining({ path: "/bundle.min.js", line: 1 })]);
    }
    expect(r.findings).toHaveLength(7);
  });

  it("finds the same secrets when the gunzip worker reuses chunk memory as with in-thread gunzip", async () => {
    // ~6 MiB gzip layer: hundreds of files straddling the worker's 1 MiB chunks (text, a large
    // file, .gz, zip and plain nested tar), each with a secret at its first and last bytes, so any
    // view kept into a reused chunk would lose (or corrupt) one of them
    const f = new Fakes(424242);
    const items: TarItem[] = [];
    const planted: string[] = [];
    const secret = () => {
      const s = `SECRET_${f.s("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 12)}`;
      planted.push(s);
      return s;
    };
    const body = (n: number) => `${secret()}\n${f.s("abcdefghij klmnopqrstuvwxyz\n", n)}\n${secret()}`;
    for (let i = 0; i < 240; i++) items.push({ name: `app/f${i}.txt`, content: body(1000 + ((i * 7919) % 40_000)) });
    items.push({ name: "app/big.log", content: body(1_500_000) });
    items.push({ name: "app/old.log.gz", content: gzip(Buffer.from(body(300_000))) });
    items.push({ name: "app/lib.jar", content: makeZip([{ name: "a.properties", content: body(200_000) }, { name: "b.txt", content: body(5000), store: true }]) });
    items.push({ name: "app/inner.tar", content: makeTar([{ name: "x.txt", content: body(700_000) }, { name: "y.txt", content: body(900) }]) });
    for (let i = 0; i < 60; i++) items.push({ name: `app/g${i}.txt`, content: body(3000 + ((i * 104729) % 60_000)) });
    // small .gz files inflate on the thread pool while the scan (and chunk reuse) moves on
    for (let i = 0; i < 40; i++) items.push({ name: `var/log/h${i}.log.gz`, content: gzip(Buffer.from(body(20_000 + i * 500))) });
    const layers = [layer(items)];
    expect(layers[0]!.blob.length).toBeGreaterThan(3 * 1024 * 1024);
    const key = (r: ImageScanResult) => r.findings.map((x) => `${x.fingerprint} ${x.path}:${x.line}`).sort();
    const onWorker = (await scan(one(layers))).r;
    const inline = (await scan(one(layers), { limits: { gunzipOnWorker: false } })).r;
    expect(onWorker.errors).toEqual([]);
    expect(key(onWorker)).toEqual(key(inline));
    expect(new Set(onWorker.findings.map((x) => x.fingerprint))).toEqual(new Set(planted.map((p) => fingerprint(p))));
  });

  it("finds a private key that straddles a slice boundary of a large file, with the real detectors", async () => {
    const f = new Fakes(11);
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${f.pemBody(1200)}\n-----END RSA PRIVATE KEY-----`;
    const before = Array.from({ length: 1780 }, (_, i) => `# padding line ${i} ${"x".repeat(44)}`).join("\n");
    const text = `${before}\n${pem}\n${"# tail\n".repeat(30000)}`;
    expect(text.indexOf(pem)).toBeLessThan(112 * 1024);
    expect(text.indexOf(pem) + pem.length).toBeGreaterThan(112 * 1024);
    const registry = fakeRegistry(one([layer([{ name: "srv/keys.txt", content: text }])]));
    const r = await scanImage("acme/app:1.0", { registry });
    const hit = r.findings.filter((x) => x.fingerprint === fingerprint(pem));
    expect(hit).toHaveLength(1);
    expect(hit[0]!.locations).toHaveLength(1);
    expect(hit[0]!.line).toBe(1781);
  });

  it("a nested archive deleted by a later layer is reported deleted", async () => {
    const jar = makeZip([{ name: "a.properties", content: S1 }]);
    const { r } = await scan(one([layer([{ name: "lib/x.jar", content: jar }]), layer([{ name: "lib/.wh.x.jar" }])]));
    expect(byFp(r, S1)!.deleted).toBe(true);
  });

  it("skips binaries by sniffing, scans large text up to the cap", async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.from(` ${S1} `)]);
    const nul = Buffer.concat([Buffer.from(S2), Buffer.alloc(10), Buffer.from(S2)]);
    const big = `${S3}\n${"a".repeat(5000)}\nSECRET_LATELATE1\n`;
    const { r } = await scan(
      one([
        layer([
          { name: "bin/tool", content: elf },
          { name: "data.bin", content: nul },
          { name: "big.txt", content: big },
        ]),
      ]),
      { limits: { maxFileBytes: 4096 } },
    );
    expect(byFp(r, S1)).toBeUndefined();
    expect(byFp(r, S2)).toBeUndefined();
    expect(byFp(r, S3)).toBeDefined();
    expect(byFp(r, "SECRET_LATELATE1")).toBeUndefined();
    expect(r.notices?.some((n) => /scanned up to the cap/.test(n.message))).toBe(true);
  });

  it("keeps a text file that spans many layer chunks up to the cap, whole and in order", async () => {
    // ~3 MiB of text in a gzip layer (the worker hands it over in 1 MiB chunks), 2 MiB cap:
    // secrets at the start, just inside the cap and past it
    const cap = 2 * 1024 * 1024;
    const filler = (n: number) => "abcdefghijklmnopqrstuvwxyz 0123456789\n".repeat(Math.ceil(n / 37)).slice(0, n);
    const inside = "SECRET_JUSTINSIDE";
    const text = `SECRET_FIRSTLINE1\n${filler(cap - 200)}\n${inside}\n${filler(cap)}\nSECRET_PASTTHECAP\n`;
    const { r } = await scan(one([layer([{ name: "var/log/huge.log", content: text }])]), { limits: { maxFileBytes: cap } });
    expect(r.errors).toEqual([]);
    expect(byFp(r, "SECRET_FIRSTLINE1")!.line).toBe(1);
    expect(byFp(r, inside)!.line).toBe(text.slice(0, text.indexOf(inside)).split("\n").length);
    expect(byFp(r, "SECRET_PASTTHECAP")).toBeUndefined();
    expect(r.notices?.some((n) => /huge\.log: larger than .* scanned up to the cap/.test(n.message))).toBe(true);
  });

  it("never follows symlinks or hard links (metadata only)", async () => {
    const { r } = await scan(
      one([
        layer([
          { name: "real.txt", content: S1 },
          { name: "link.txt", type: "2", linkname: "real.txt" },
          { name: "hard.txt", type: "1", linkname: "real.txt" },
          { name: "escape", type: "2", linkname: "../../../../etc/shadow" },
        ]),
      ]),
    );
    expect(byFp(r, S1)!.locations.map((l) => l.path)).toEqual(["/real.txt"]);
    expect(r.errors).toEqual([]);
  });

  it("neutralises ../ and absolute paths and records them", async () => {
    const { r } = await scan(
      one([
        layer([
          { name: "../../../etc/evil.env", content: S1 },
          { name: "/abs/secret.env", content: S2 },
        ]),
        layer([{ name: "etc/.wh.evil.env" }]),
      ]),
    );
    expect(byFp(r, S1)!.path).toBe("/etc/evil.env");
    expect(byFp(r, S1)!.deleted).toBe(true);
    expect(byFp(r, S2)!.path).toBe("/abs/secret.env");
    expect(r.notices?.map((n) => n.message).join("\n")).toMatch(/absolute paths[\s\S]*climbing above the root/);
  });

  describe("hostile layers end that layer with an error; the rest still scans", () => {
    const good = () => layer([{ name: "good.env", content: S3 }]);
    const cases: Array<[string, () => { blob: Buffer; corruptDigest?: boolean }, RegExp, Parameters<typeof scanImage>[1]["limits"]?]> = [
      [
        "gzip bomb",
        () => ({ blob: gzip(Buffer.concat([tarHeader({ name: "zeros", size: 30 * 1024 * 1024, type: "0" }), Buffer.alloc(30 * 1024 * 1024)])) }),
        /ratio exceeds 200:1/,
        { ratioGraceBytes: 1024 * 1024 },
      ],
      ["zstd bomb", () => ({ blob: zstdRleBomb(4000) }), /ratio|cap/, undefined],
      ["absolute uncompressed cap", () => layer([{ name: "f.txt", content: "a".repeat(200_000) }]), /cap/, { maxLayerBytes: 100_000 }],
      [
        "endless tar stream (entries)",
        () => layer(Array.from({ length: 300 }, (_, i) => ({ name: `f${i}`, content: "x" }))),
        /more than 100 entries/,
        { maxEntries: 100 },
      ],
      ["huge PAX header", () => layer([{ name: "a", content: "1", pax: { comment: "z".repeat(70_000) } }]), /PAX header/, { maxMetaHeaderBytes: 65_536 }],
      ["huge GNU long name", () => layer([{ name: "n".repeat(100_000), content: "1", gnuLongName: true }]), /long-name header/, { maxMetaHeaderBytes: 65_536 }],
      ["truncated gzip", () => ({ blob: gzip(makeTar([{ name: "a.txt", content: S1 }])).subarray(0, 60) }), /corrupt gzip/, undefined],
      ["corrupt zstd", () => ({ blob: Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x08]), Buffer.alloc(100, 0xff)]) }), /zstd/, undefined],
      ["truncated tar", () => ({ blob: gzip(makeTar([{ name: "a.txt", content: "q".repeat(3000) }]).subarray(0, 1500)) }), /truncated tar/, undefined],
      ["garbage (not a tar)", () => ({ blob: gzip(Buffer.from("x".repeat(2000))) }), /checksum/, undefined],
      ["wrong digest", () => ({ ...layer([{ name: "bad.env", content: S1 }]), corruptDigest: true }), /digest mismatch/, undefined],
    ];
    for (const [name, make, re, limits] of cases) {
      it(name, async () => {
        const { r, registry } = await scan(one([make(), good()]), { limits });
        expect(r.errors).toHaveLength(1);
        expect(r.errors[0]!.layerDigest).toBe(registry.opened[0]);
        expect(r.errors[0]!.message).toMatch(re);
        expect(byFp(r, S3)).toBeDefined();
      });
    }

    it("a zip bomb inside a layer is skipped, not inflated", async () => {
      // text-like, so the member is not dropped as binary from its first bytes (zeros would be)
      const bombZip = makeZip([{ name: "aaaa.txt", content: Buffer.alloc(20 * 1024 * 1024, 0x61) }]);
      expect(bombZip.length).toBeLessThan(100_000);
      const { r } = await scan(one([layer([{ name: "b.zip", content: bombZip }, { name: "ok.env", content: S1 }])]), {
        limits: { maxFileBytes: 1024 * 1024, maxNestedExpandBytes: 1024 * 1024 },
      });
      expect(r.errors).toEqual([]);
      expect(byFp(r, S1)).toBeDefined();
      expect(r.notices?.some((n) => /larger than the cap, skipped/.test(n.message))).toBe(true);
    });
  });

  it("does not download non-distributable (foreign) layers", async () => {
    const foreign = { ...layer([{ name: "w.txt", content: S1 }]), mediaType: "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip" };
    const { r, registry } = await scan(one([foreign, layer([{ name: "ok.txt", content: S2 }])]));
    expect(registry.opened).toHaveLength(1);
    expect(byFp(r, S1)).toBeUndefined();
    expect(byFp(r, S2)).toBeDefined();
    expect(r.errors).toEqual([]);
    expect(r.notices?.some((n) => /non-distributable/.test(n.message))).toBe(true);
  });

  it("rejects when the image cannot be resolved at all", async () => {
    const registry = fakeRegistry([]);
    await expect(scanImage("acme/none:1", { registry, detect: testDetect })).rejects.toThrow(/no image for platform/);
  });

  it("survives gzip of random binary inside a layer (treated as non-tar, non-text)", async () => {
    const rnd = zlib.deflateRawSync(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const { r } = await scan(one([layer([{ name: "blob.gz", content: Buffer.concat([Buffer.from([0x1f, 0x8b]), rnd]) }, { name: "ok", content: S1 }])]));
    expect(r.errors).toEqual([]);
    expect(byFp(r, S1)).toBeDefined();
  });
});
