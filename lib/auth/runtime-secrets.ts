// SECURITY-CRITICAL: the session-signing secret. When NEXTAUTH_SECRET is unset (the embedded,
// zero-config default) a random one is generated once and kept in <dataDir>/secret (mode 0600)
// so sessions survive restarts. The value is never logged.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export function readOrCreateSecretFile(file: string, bytes = 32): string {
  try {
    const existing = fs.readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const value = crypto.randomBytes(bytes).toString("hex");
  try {
    // wx: two processes racing on first start must agree on one value.
    fs.writeFileSync(file, value + "\n", { mode: 0o600, flag: "wx" });
    return value;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw e;
  }
}

export function resolveAuthSecret(env: { NEXTAUTH_SECRET?: string | undefined; dataDir: string }): string {
  return env.NEXTAUTH_SECRET ?? readOrCreateSecretFile(path.join(env.dataDir, "secret"));
}

export function resolveEncryptionKey(env: { STOWAWAY_ENCRYPTION_KEY?: string | undefined; dataDir: string }): string {
  return env.STOWAWAY_ENCRYPTION_KEY ?? readOrCreateSecretFile(path.join(env.dataDir, "encryption-key"));
}
