"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

const GENERIC = "Email or password is incorrect, or the account is temporarily locked after repeated failures.";

export function SignInForm(props: { callbackUrl: string; oidc: { name: string } | null; initialError: "credentials" | "sso" | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(
    props.initialError === "credentials" ? GENERIC : props.initialError === "sso" ? "Single sign-on did not complete. Try again or contact your administrator." : null,
  );
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    setError(null);
    const form = new FormData(e.currentTarget);
    const res = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
      callbackUrl: props.callbackUrl,
    });
    if (!res || res.error) {
      setPending(false);
      setError(GENERIC);
      return;
    }
    router.replace(props.callbackUrl);
    router.refresh();
  }

  return (
    <div className="stack">
      {error && (
        <p className="alert error" role="alert">
          {error}
        </p>
      )}
      <form className="stack" onSubmit={onSubmit} noValidate>
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {props.oidc && (
        <>
          <div className="divider">or</div>
          <button type="button" className="secondary" onClick={() => signIn("oidc", { callbackUrl: props.callbackUrl })}>
            Continue with {props.oidc.name}
          </button>
        </>
      )}
    </div>
  );
}
