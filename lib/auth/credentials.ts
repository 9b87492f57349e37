// SECURITY-CRITICAL: email + password sign-up and sign-in with per-account lockout.
// Every failure looks the same to the caller (null): no hint whether the email exists or is locked.
import type { PrismaClient } from "@/lib/db/generated/client";
import { AppError, invalidInput } from "@/lib/errors";
import { burnPasswordCheck, hashPassword, verifyPassword, ZEmail, ZSignUpInput } from "./password";
import { FailureLimiter } from "./rate-limit";

export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MS = 15 * 60_000;

export interface AuthUser {
  id: string;
  email: string;
  name: string | null;
}

export async function signUp(db: PrismaClient, raw: unknown): Promise<AuthUser> {
  const parsed = ZSignUpInput.safeParse(raw);
  if (!parsed.success) throw invalidInput(parsed.error.issues, "Check the highlighted fields");
  const { email, password, name } = parsed.data;
  const passwordHash = await hashPassword(password);
  const existing = await db.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
  if (existing) {
    throw new AppError("CONFLICT", "An account with this email already exists. Sign in instead.", {
      issues: [{ path: "email", message: "An account with this email already exists" }],
    });
  }
  try {
    const user = await db.user.create({
      data: { email, passwordHash, name: name || null },
      select: { id: true, email: true, name: true },
    });
    return user;
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") {
      throw new AppError("CONFLICT", "An account with this email already exists. Sign in instead.");
    }
    throw e;
  }
}

// Per-address limiter shared by the process: 30 failures per 15 minutes.
const ipLimiter = new FailureLimiter(30, 15 * 60_000);

export interface VerifyOptions {
  clientKey?: string;
  now?: Date;
  limiter?: FailureLimiter;
}

/** Returns the user when the credentials are right and the account is not locked; else null. */
export async function verifyCredentials(
  db: PrismaClient,
  rawEmail: unknown,
  rawPassword: unknown,
  opts: VerifyOptions = {},
): Promise<AuthUser | null> {
  const now = opts.now ?? new Date();
  const limiter = opts.limiter ?? ipLimiter;
  const key = opts.clientKey ?? "unknown";
  const email = ZEmail.safeParse(rawEmail);
  if (!email.success || typeof rawPassword !== "string" || rawPassword.length === 0 || rawPassword.length > 256) {
    return null;
  }
  if (limiter.isBlocked(key)) return null;

  const user = await db.user.findUnique({
    where: { email: email.data },
    select: { id: true, email: true, name: true, passwordHash: true, lockedUntil: true },
  });
  if (!user || !user.passwordHash) {
    await burnPasswordCheck(rawPassword);
    limiter.fail(key);
    return null;
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    limiter.fail(key);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, rawPassword))) {
    limiter.fail(key);
    const updated = await db.user.update({
      where: { id: user.id },
      data: { failedLogins: { increment: 1 } },
      select: { failedLogins: true },
    });
    if (updated.failedLogins >= LOCKOUT_THRESHOLD) {
      await db.user.update({
        where: { id: user.id },
        data: { lockedUntil: new Date(now.getTime() + LOCKOUT_MS), failedLogins: 0 },
      });
    }
    return null;
  }
  await db.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null } });
  return { id: user.id, email: user.email, name: user.name };
}
