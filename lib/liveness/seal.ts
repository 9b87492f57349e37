// SECURITY-CRITICAL: the only stored form of a raw secret. AES-256-GCM with a random 96-bit IV
// and a 128-bit tag; the associated data binds a ciphertext to its fingerprint and detector, so a
// row copied onto another finding fails authentication. Keys are derived with HKDF from the
// installation's master key (STOWAWAY_ENCRYPTION_KEY or <dataDir>/encryption-key), never used raw.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

export interface SealedValue {
  keyVersion: string;
  /** base64 */
  iv: string;
  /** base64 */
  authTag: string;
  /** base64 */
  ciphertext: string;
}

/** What a verifier needs: the secret and, for pairs (AWS), the public half. */
export interface SecretMaterial {
  secret: string;
  /** AWS access key id that goes with the secret access key */
  keyId?: string;
}

export class SealError extends Error {
  constructor(readonly kind: "unknown-key" | "tampered" | "mismatch") {
    super(
      kind === "unknown-key"
        ? "sealed with a key this installation does not have"
        : kind === "tampered"
          ? "sealed value failed authentication (tampered or wrong key)"
          : "sealed value does not match the finding's fingerprint",
    );
    this.name = "SealError";
  }
}

interface DerivedKey {
  version: string;
  key: Buffer;
}

/** The current key seals; every key in the ring opens (old master keys stay listed during rotation). */
export class Keyring {
  private readonly keys: Map<string, Buffer>;
  readonly current: DerivedKey;

  constructor(masterKeys: readonly string[]) {
    if (masterKeys.length === 0) throw new Error("a keyring needs at least one master key");
    const derived = masterKeys.map(deriveKey);
    this.current = derived[0]!;
    this.keys = new Map(derived.map((d) => [d.version, d.key]));
  }

  get(version: string): Buffer | undefined {
    return this.keys.get(version);
  }
}

function deriveKey(master: string): DerivedKey {
  const trimmed = master.trim();
  if (trimmed.length < 32) throw new Error("the encryption key must be at least 32 characters");
  const ikm = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "utf8");
  const key = Buffer.from(hkdfSync("sha256", ikm, Buffer.alloc(0), "stowaway:sealed-secret:v1", 32));
  // the version names the key without revealing it: a hash of a second, independent derivation
  const id = Buffer.from(hkdfSync("sha256", ikm, Buffer.alloc(0), "stowaway:sealed-secret:key-id", 32));
  return { version: `k1:${createHash("sha256").update(id).digest("hex").slice(0, 16)}`, key };
}

function aad(fingerprint: string, detector: string): Buffer {
  return Buffer.from(`stowaway-seal:v1\u0000${fingerprint}\u0000${detector}`, "utf8");
}

export function fingerprintOf(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export function seal(ring: Keyring, binding: { fingerprint: string; detector: string }, material: SecretMaterial): SealedValue {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", ring.current.key, iv, { authTagLength: 16 });
  cipher.setAAD(aad(binding.fingerprint, binding.detector));
  const plain = Buffer.from(JSON.stringify(material.keyId ? { s: material.secret, k: material.keyId } : { s: material.secret }), "utf8");
  const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
  plain.fill(0);
  return { keyVersion: ring.current.version, iv: iv.toString("base64"), authTag: cipher.getAuthTag().toString("base64"), ciphertext: ct.toString("base64") };
}

/** Opens a sealed value; throws SealError (never echoing any plaintext) on any problem. */
export function open(ring: Keyring, binding: { fingerprint: string; detector: string }, sealed: SealedValue): SecretMaterial {
  const key = ring.get(sealed.keyVersion);
  if (!key) throw new SealError("unknown-key");
  const iv = Buffer.from(sealed.iv, "base64");
  const tag = Buffer.from(sealed.authTag, "base64");
  if (iv.length !== 12 || tag.length !== 16) throw new SealError("tampered");
  let plain: Buffer;
  try {
    const d = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: 16 });
    d.setAAD(aad(binding.fingerprint, binding.detector));
    d.setAuthTag(tag);
    plain = Buffer.concat([d.update(Buffer.from(sealed.ciphertext, "base64")), d.final()]);
  } catch {
    throw new SealError("tampered");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(plain.toString("utf8"));
  } catch {
    throw new SealError("tampered");
  } finally {
    plain.fill(0);
  }
  const p = parsed as { s?: unknown; k?: unknown };
  if (typeof p.s !== "string") throw new SealError("tampered");
  // defence in depth: the plaintext must be the secret the finding's fingerprint names
  const a = Buffer.from(fingerprintOf(p.s), "hex");
  const b = Buffer.from(binding.fingerprint, "hex");
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new SealError("mismatch");
  return typeof p.k === "string" ? { secret: p.s, keyId: p.k } : { secret: p.s };
}
