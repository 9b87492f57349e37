// Password rules and hashing. argon2id with OWASP's minimum parameters (19 MiB, t=2, p=1).
import { hash, verify } from "@node-rs/argon2";
import { z } from "zod";
import { COMMON_PASSWORDS } from "./common-passwords";

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const ZEmail = z
  .string({ message: "Enter an email address" })
  .trim()
  .toLowerCase()
  .max(254, "Email address is too long")
  .pipe(z.email({ message: "Enter a valid email address" }));

/** Returns human-readable problems with a password (empty when acceptable). */
export function passwordProblems(password: string, email?: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`Use at least ${PASSWORD_MIN_LENGTH} characters`);
  if (password.length > PASSWORD_MAX_LENGTH) problems.push(`Use at most ${PASSWORD_MAX_LENGTH} characters`);
  const lower = password.toLowerCase();
  if (email) {
    const e = email.trim().toLowerCase();
    const local = e.split("@")[0] ?? "";
    if (lower === e || (local.length >= 4 && lower.includes(local))) {
      problems.push("Don't use your email address in your password");
    }
  }
  if (COMMON_PASSWORDS.has(lower) || /^(.)\1+$/.test(password)) {
    problems.push("This password is too common; choose something harder to guess");
  }
  return problems;
}

export const ZSignUpInput = z
  .object({
    email: ZEmail,
    password: z.string({ message: "Enter a password" }).max(PASSWORD_MAX_LENGTH),
    name: z.string().trim().max(120, "Name is too long").optional(),
  })
  .superRefine((v, ctx) => {
    for (const message of passwordProblems(v.password, v.email)) {
      ctx.addIssue({ code: "custom", path: ["password"], message });
    }
  });
export type TSignUpInput = z.infer<typeof ZSignUpInput>;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

// A fixed hash verified when the account does not exist, so that response time does not reveal
// which emails are registered.
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("stowaway-dummy-password-for-timing");
  await verifyPassword(await dummyHash, password);
}
