import { describe, expect, it } from "vitest";
import { headerSum, TarParser, type TarEntry } from "./tar";
import { makeTar, tarHeader } from "./test-archives";

function parse(buf: Buffer, chunkSize = buf.length, limits?: { maxEntries: number; maxMetaHeaderBytes: number }) {
  const entries: Array<TarEntry & { data: string }> = [];
  const p = new TarParser(
    {
      entry: (e) => {
        const rec = { ...e, data: "" };
        entries.push(rec);
        return { data: (c) => (rec.data += c.toString("utf8")), end: () => {} };
      },
    },
    limits,
  );
  for (let i = 0; i < buf.length; i += chunkSize) p.write(buf.subarray(i, i + chunkSize));
  p.end();
  return entries;
}

describe("TarParser", () => {
  const tar = makeTar([
    { name: "etc/", type: "5" },
    { name: "etc/app.conf", content: "hello\nworld\n" },
    { name: "etc/link", type: "2", linkname: "/etc/passwd" },
    { name: "etc/hard", type: "1", linkname: "etc/app.conf" },
    { name: "dev/null", type: "3" },
    { name: "a.txt", content: "x".repeat(1000) },
  ]);

  it("parses ustar entries with data, links and devices, in any chunking", () => {
    for (const size of [tar.length, 512, 100, 7, 1]) {
      const e = parse(tar, size);
      expect(e.map((x) => [x.name, x.type])).toEqual([
        ["etc/", "directory"],
        ["etc/app.conf", "file"],
        ["etc/link", "symlink"],
        ["etc/hard", "hardlink"],
        ["dev/null", "device"],
        ["a.txt", "file"],
      ]);
      expect(e[1]?.data).toBe("hello\nworld\n");
      expect(e[2]?.linkname).toBe("/etc/passwd");
      expect(e[5]?.data.length).toBe(1000);
    }
  });

  it("applies the ustar prefix field", () => {
    const e = parse(makeTar([{ name: "file.txt", prefix: "very/long/dir", content: "a" }]));
    expect(e[0]?.name).toBe("very/long/dir/file.txt");
  });

  it("applies PAX path, linkpath and size records", () => {
    const long = `${"d".repeat(150)}/${"f".repeat(120)}.env`;
    const e = parse(
      makeTar([
        { name: "short", content: "TOKEN=1", pax: { path: long } },
        { name: "l", type: "2", pax: { linkpath: `/${"x".repeat(200)}` } },
      ]),
      33,
    );
    expect(e[0]?.name).toBe(long);
    expect(e[0]?.data).toBe("TOKEN=1");
    expect(e[1]?.linkname).toBe(`/${"x".repeat(200)}`);
  });

  it("applies only PAX path, linkpath and size, whatever else the records carry, in any chunking", () => {
    const tar = makeTar([
      // keys that merely resemble the applied ones, a value holding "=", a non-ASCII path
      { name: "a", content: "1", pax: { mtime: "1700000000.5", paths: "/not/this", "path.x": "/nor/this", path: "/etc/app=prod/ключ.env", atime: "1" } },
      { name: "b", content: "22", pax: { "SCHILY.xattr.user.k": "v", linkpath: "/ignored-for-a-file" } },
    ]);
    for (const size of [tar.length, 512, 100, 7, 1]) {
      const e = parse(tar, size);
      expect(e.map((x) => [x.name, x.data])).toEqual([
        ["/etc/app=prod/ключ.env", "1"],
        ["b", "22"],
      ]);
    }
  });

  it("rejects a PAX record whose length is not decimal", () => {
    const body = Buffer.from("0x14 path=/etc/x.env\n");
    const tar = Buffer.concat([tarHeader({ name: "PaxHeader", size: body.length, type: "x" }), body, Buffer.alloc(512 - body.length), makeTar([{ name: "f", content: "x" }])]);
    expect(() => parse(tar)).toThrow(/malformed PAX header/);
  });

  it("applies GNU long names", () => {
    const long = `${"g".repeat(300)}/secret.txt`;
    const e = parse(makeTar([{ name: long, content: "abc", gnuLongName: true }, { name: "next", content: "n" }]));
    expect(e[0]?.name).toBe(long);
    expect(e[1]?.name).toBe("next");
  });

  it("reports a truncated archive and hands over the partial content", () => {
    const full = makeTar([{ name: "big.txt", content: "y".repeat(5000) }], { end: false });
    const cut = full.subarray(0, 512 + 1000);
    const got: string[] = [];
    const p = new TarParser({ entry: () => ({ data: (c) => got.push(c.toString()), end: () => got.push("<end>") }) });
    p.write(cut);
    expect(() => p.end()).toThrow(/truncated/);
    expect(got.join("").startsWith("y".repeat(1000))).toBe(true);
    expect(got.at(-1)).toBe("<end>");
  });

  it("accepts a stream without end-of-archive blocks", () => {
    expect(parse(makeTar([{ name: "a", content: "1" }], { end: false }))).toHaveLength(1);
  });

  it("sums headers like the ustar definition at every alignment, including all-0xff bytes", () => {
    const definition = (h: Uint8Array) => {
      let sum = 0;
      for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] as number);
      return sum;
    };
    let seed = 1;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    for (let t = 0; t < 200; t++) {
      const backing = Buffer.alloc(512 + 8);
      for (let i = 0; i < backing.length; i++) backing[i] = t === 0 ? 0xff : next();
      for (let off = 0; off < 4; off++) {
        const want = definition(backing.subarray(off, off + 512));
        expect(headerSum(backing.subarray(off, off + 512))).toBe(want);
        // read in place, as the parser reads a header inside a chunk
        expect(headerSum(backing, off)).toBe(want);
      }
    }
  });

  it("rejects a corrupt header checksum", () => {
    const t = makeTar([{ name: "a", content: "1" }]);
    t[0] = 0x42;
    expect(() => parse(t)).toThrow(/checksum/);
  });

  it("caps PAX header size", () => {
    const t = makeTar([{ name: "a", content: "1", pax: { comment: "z".repeat(5000) } }]);
    expect(() => parse(t, t.length, { maxEntries: 10, maxMetaHeaderBytes: 1024 })).toThrow(/PAX header of \d+ bytes exceeds/);
  });

  it("caps the number of entries", () => {
    const t = makeTar(Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, content: "x" })));
    expect(() => parse(t, t.length, { maxEntries: 10, maxMetaHeaderBytes: 1024 })).toThrow(/more than 10 entries/);
  });

  it("reads base-256 size fields (a huge claimed size then runs out of data)", () => {
    const h = tarHeader({ name: "huge", size: 2 ** 40, type: "0" });
    const p = new TarParser({ entry: (e) => (expect(e.size).toBe(2 ** 40), null) });
    p.write(Buffer.concat([h, Buffer.alloc(4096)]));
    expect(() => p.end()).toThrow(/truncated/);
  });
});
