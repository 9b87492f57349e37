import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { isOidcEnabled } from "@/lib/auth/options";
import { getSessionUser } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { safeCallbackUrl } from "@/app/_lib/api-client";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const callbackUrl = safeCallbackUrl(typeof sp.callbackUrl === "string" ? sp.callbackUrl : undefined);
  if (await getSessionUser()) redirect(callbackUrl);
  const env = getEnv();
  const error = typeof sp.error === "string" ? sp.error : undefined;
  return (
    <main className="auth-wrap">
      <div className="card auth-card">
        <h1>Sign in to Stowaway</h1>
        <SignInForm
          callbackUrl={callbackUrl}
          oidc={isOidcEnabled(env) ? { name: env.OIDC_NAME } : null}
          initialError={error ? (error === "CredentialsSignin" ? "credentials" : "sso") : null}
        />
        <p className="muted" style={{ marginTop: "1rem" }}>
          New here? <Link href={`/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Create an account</Link>
        </p>
      </div>
    </main>
  );
}
