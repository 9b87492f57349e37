// next-auth configuration: JWT sessions, email+password, and generic OpenID Connect when the
// OIDC_* variables are set. Built once per process from validated env.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/lib/db/client";
import { getEnv, type Env } from "@/lib/env";
import { verifyCredentials } from "./credentials";
import { OIDC_PROVIDER_ID, resolveOidcUser } from "./oidc";
import { resolveAuthSecret } from "./runtime-secrets";

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

function clientKey(headers: Record<string, unknown> | undefined): string {
  const h = (name: string) => {
    const v = headers?.[name];
    return typeof v === "string" ? v : Array.isArray(v) ? String(v[0]) : undefined;
  };
  return h("x-forwarded-for")?.split(",")[0]?.trim() || h("x-real-ip") || "direct";
}

export function isOidcEnabled(env: Env = getEnv()): boolean {
  return Boolean(env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET);
}

/** Makes next-auth's own env lookups agree with our validated config (NEXTAUTH_URL, secret). */
export function applyAuthRuntimeEnv(env: Env = getEnv()): string {
  const secret = resolveAuthSecret(env);
  process.env.NEXTAUTH_URL ??= `http://localhost:${env.PORT}`;
  return secret;
}

function buildAuthOptions(env: Env): NextAuthOptions {
  const secret = applyAuthRuntimeEnv(env);
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const db = await getDb();
        return verifyCredentials(db, credentials?.email, credentials?.password, {
          clientKey: clientKey(req?.headers as Record<string, unknown> | undefined),
        });
      },
    }),
  ];
  if (isOidcEnabled(env)) {
    const issuer = env.OIDC_ISSUER!.replace(/\/+$/, "");
    providers.push({
      id: OIDC_PROVIDER_ID,
      name: env.OIDC_NAME,
      type: "oauth",
      wellKnown: `${issuer}/.well-known/openid-configuration`,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(profile: Record<string, unknown>) {
        return {
          id: String(profile.sub),
          email: typeof profile.email === "string" ? profile.email : null,
          name: typeof profile.name === "string" ? profile.name : null,
        };
      },
    });
  }
  return {
    secret,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    logger: {
      // next-auth's default logger prints whole error objects; keep it to codes (no tokens).
      error(code) {
        console.error(`[auth] ${code}`);
      },
      warn(code) {
        if (code !== "DEBUG_ENABLED") console.warn(`[auth] ${code}`);
      },
      debug() {},
    },
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        const p = (profile ?? {}) as Record<string, unknown>;
        const resolved = await resolveOidcUser(await getDb(), {
          subject: String(account.providerAccountId ?? p.sub ?? ""),
          email: typeof p.email === "string" ? p.email : user.email,
          emailVerified: p.email_verified === true,
          name: typeof p.name === "string" ? p.name : user.name,
        });
        if (!resolved) return false;
        // next-auth builds the JWT from this object after signIn: carry our user id, not the IdP's.
        user.id = resolved.id;
        user.email = resolved.email;
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.email = user.email;
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.sub ?? "", email: token.email ?? null } };
      },
      async redirect({ url, baseUrl }) {
        // Only same-origin redirects after sign-in/out.
        if (url.startsWith("/")) return `${baseUrl}${url}`;
        try {
          if (new URL(url).origin === baseUrl) return url;
        } catch {
          /* fall through */
        }
        return baseUrl;
      },
    },
  };
}

let cached: NextAuthOptions | undefined;
export function getAuthOptions(): NextAuthOptions {
  cached ??= buildAuthOptions(getEnv());
  return cached;
}
