import { describe, expect, it } from "vitest";
import { SNIFF_BYTES, SURE_BYTES, sniffContent, surelyBinary } from "./sniff";

describe("sniffContent", () => {
  it("tells text from binaries, archives and compressed data", () => {
    expect(sniffContent(Buffer.from("DB_PASSWORD=s3cr3t\n\tindented\r\n\x1b[31mred\x1b[0m\n"), "/app/.env")).toBe("text");
    expect(sniffContent(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), "/bin/x")).toBe("binary");
    expect(sniffContent(Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0]), "/app/lib.jar")).toBe("zip");
    expect(sniffContent(Buffer.from([0x1f, 0x8b, 8, 0]), "/x.gz")).toBe("gzip");
    expect(sniffContent(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0]), "/x.zst")).toBe("zstd");
    // no NUL, but mostly control bytes: a binary format without a known magic
    expect(sniffContent(Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 0x41 : 0x01))), "/x.bin")).toBe("binary");
  });

  it("reads only the sniff window of a longer buffer", () => {
    // a NUL past the window does not make a text file binary
    const long = Buffer.concat([Buffer.alloc(SNIFF_BYTES, 0x61), Buffer.from([0, 0, 0])]);
    expect(sniffContent(long, "/big.txt")).toBe("text");
    expect(sniffContent(Buffer.concat([Buffer.alloc(100, 0x61), Buffer.from([0])]), "/x.txt")).toBe("binary");
  });
});

describe("surelyBinary", () => {
  const cafe = (n: number, fill = 0x41) => Buffer.concat([Buffer.from([0xca, 0xfe, 0xba, 0xbe]), Buffer.alloc(n - 4, fill)]);

  it("answers from a head only what the rest of the content cannot change", () => {
    expect(surelyBinary(cafe(SURE_BYTES), false, "/A.class")).toBe(true); // magic number
    expect(surelyBinary(Buffer.concat([Buffer.from("text"), Buffer.alloc(SURE_BYTES, 0)]), false, "/x")).toBe(true); // NUL
    // a head too short for the tar check ("ustar" at 257) decides nothing unless it is everything
    expect(surelyBinary(cafe(100), false, "/A.class")).toBe(false);
    expect(surelyBinary(cafe(100), true, "/A.class")).toBe(true);
    // a binary magic with a tar header behind it sniffs as tar
    const tarLike = cafe(SURE_BYTES);
    tarLike.write("ustar", 257, "latin1");
    expect(surelyBinary(tarLike, false, "/x")).toBe(false);
    // control bytes alone: the rest of the 1 KiB sample could tip the share either way
    const ctrl = Buffer.alloc(SURE_BYTES, 0x01);
    expect(sniffContent(ctrl, "/x")).toBe("binary");
    expect(surelyBinary(ctrl, false, "/x")).toBe(false);
    expect(surelyBinary(ctrl, true, "/x")).toBe(true);
    expect(surelyBinary(Buffer.alloc(SURE_BYTES, 0x61), false, "/x.txt")).toBe(false);
  });
});
