// Deterministic generators of invented credentials of the right shape, for tests only.
import { seededRng } from "../../hubsim/faults";
import { base62, crc32 } from "./util";


export const CS = {
  alnum: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  hex: "0123456789abcdef",
  lower: "abcdefghijklmnopqrstuvwxyz",
  upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  letters: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
  upperDigits: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
  b64: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
  b64url: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
  digits: "0123456789",
  base32: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
};

export class Fakes {
  private readonly r: () => number;
  constructor(seed = 7) {
    this.r = seededRng(seed);
  }
  s(charset: string, n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += charset[Math.floor(this.r() * charset.length)];
    return out;
  }
  /** GitHub classic / npm style: prefix + 30 random + base62(crc32(random)) */
  checksummed(prefix: string): string {
    const body = this.s(CS.alnum, 30);
    return prefix + body + base62(crc32(body), 6);
  }
  b64(bytes: number): string {
    const b = Buffer.alloc(bytes);
    for (let i = 0; i < bytes; i++) b[i] = Math.floor(this.r() * 256);
    return b.toString("base64");
  }
  pemBody(bytes = 600, prefix?: Buffer): string {
    const b = Buffer.alloc(bytes);
    for (let i = 0; i < bytes; i++) b[i] = Math.floor(this.r() * 256);
    if (prefix) prefix.copy(b);
    return (b.toString("base64").match(/.{1,64}/g) ?? []).join("\n");
  }
  pem(label: string, extraHeaders = ""): string {
    return `-----BEGIN ${label}-----\n${extraHeaders}${this.pemBody()}\n-----END ${label}-----`;
  }
  jwt(payload: Record<string, unknown>, header: Record<string, unknown> = { alg: "HS256", typ: "JWT" }): string {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    return `${enc(header)}.${enc(payload)}.${this.s(CS.b64url, 43)}`;
  }
  uuid(): string {
    const h = this.s(CS.hex, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
