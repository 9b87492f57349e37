import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/lib/auth/session";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { safeCallbackUrl } from "@/app/_lib/api-client";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const callbackUrl = safeCallbackUrl(typeof sp.callbackUrl === "string" ? sp.callbackUrl : undefined);
  if (await getSessionUser()) redirect(callbackUrl);
  return (
    <main className="auth-wrap">
      <div className="card auth-card">
        <h1>Create your Stowaway account</h1>
        <SignUpForm callbackUrl={callbackUrl} minLength={PASSWORD_MIN_LENGTH} />
        <p className="muted" style={{ marginTop: "1rem" }}>
          Already have an account? <Link href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Sign in</Link>
        </p>
      </div>
    </main>
  );
}
