"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api, ApiError } from "@/app/_lib/api-client";

export function SignUpForm(props: { callbackUrl: string; minLength: number }) {
  const router = useRouter();
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    setError(null);
    const form = new FormData(e.currentTarget);
    const body = { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
    try {
      await api("/api/v1/auth/signup", { method: "POST", body });
      const res = await signIn("credentials", { email: body.email, password: body.password, redirect: false });
      if (!res || res.error) throw new ApiError(401, "SIGNIN", "Account created, but signing in failed. Try signing in.");
      router.replace(props.callbackUrl === "/" ? "/orgs/new" : props.callbackUrl);
      router.refresh();
    } catch (err) {
      setPending(false);
      setError(err instanceof ApiError ? err : new ApiError(0, "NETWORK", "Could not reach the server. Try again."));
    }
  }

  const emailErr = error?.issueFor("email");
  const pwErr = error?.issues.filter((i) => i.path === "password").map((i) => i.message);
  return (
    <form className="stack" onSubmit={onSubmit} noValidate>
      {error && !emailErr && !pwErr?.length && (
        <p className="alert error" role="alert">
          {error.message}
        </p>
      )}
      <label>
        <span>
          Name <span className="field-hint">(optional)</span>
        </span>
        <input name="name" autoComplete="name" maxLength={120} />
      </label>
      <div className="field">
        <label htmlFor="su-email">Email</label>
        <input id="su-email" name="email" type="email" autoComplete="email" required aria-invalid={emailErr ? true : undefined} aria-describedby={emailErr ? "email-err" : undefined} />
        {emailErr && (
          <span id="email-err" className="field-error" role="alert">
            {emailErr}
          </span>
        )}
      </div>
      <div className="field">
        <label htmlFor="su-password">Password</label>
        <input
          id="su-password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={props.minLength}
          aria-invalid={pwErr?.length ? true : undefined}
          aria-describedby={pwErr?.length ? "pw-hint pw-err" : "pw-hint"}
        />
        <span id="pw-hint" className="field-hint">
          At least {props.minLength} characters; not your email address; not a common password.
        </span>
        {pwErr && pwErr.length > 0 && (
          <span id="pw-err" className="field-error" role="alert">
            {pwErr.join(". ")}
          </span>
        )}
      </div>
      <button type="submit" disabled={pending}>
        {pending ? "Creating account…" : "Create account"}
      </button>
    </form>
  );
}
