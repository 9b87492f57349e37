// Email patterns as organisations write them: "*@acme.com", "first.last@acme.io",
// "{f}{last}@acme.com", "*@*.acme.com". Compiled to RE2 (linear time), because a pattern is
// tenant input and the text it runs over is hostile image content.
import { RE2JS } from "re2js";

const PLACEHOLDERS: Record<string, string> = {
  first: "[a-z]+",
  last: "[a-z]+",
  firstname: "[a-z]+",
  lastname: "[a-z]+",
  name: "[a-z]+",
  f: "[a-z]",
  l: "[a-z]",
  initial: "[a-z]",
};

const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

export function isValidDomain(d: string): boolean {
  return DOMAIN_RE.test(d) && !d.split(".").some((l) => l.startsWith("-") || l.endsWith("-"));
}

export interface CompiledEmailPattern {
  pattern: string;
  /** the concrete domain the pattern is anchored to (without a "*." prefix) */
  domain: string;
  matches(email: string): boolean;
}

/** Returns an error message, or null when the pattern is acceptable. */
export function emailPatternProblem(raw: string): string | null {
  const p = raw.trim().toLowerCase();
  if (p.length === 0) return "is empty";
  if (p.length > 254) return "is longer than 254 characters";
  const at = p.split("@");
  if (at.length !== 2) return 'must contain exactly one "@" (e.g. "*@acme.com")';
  const [local, domain] = at as [string, string];
  if (local.length === 0) return 'needs a local part before "@" (use "*" for any)';
  if (local.length > 64) return "local part is longer than 64 characters";
  if (domain.includes("*") && !/^\*\.[^*]+$/.test(domain)) {
    return 'domain part may only use a leading "*." (e.g. "*@*.acme.com"); a wildcard domain would match every email';
  }
  const concrete = domain.replace(/^\*\./, "");
  if (!isValidDomain(concrete)) return `domain "${concrete}" is not a valid domain name`;
  const stars = (local.match(/\*/g) ?? []).length;
  if (stars > 4) return "uses more than four wildcards in the local part";
  if (local.includes("**")) return 'must not contain "**"';
  const braces = local.replace(/\{([a-z]+)\}/g, (_m, name: string) => (name in PLACEHOLDERS ? "" : "\u0000"));
  if (braces.includes("\u0000")) return `unknown placeholder; use {${Object.keys(PLACEHOLDERS).join("}, {")}}`;
  if (/[{}]/.test(braces)) return "has an unbalanced { or }";
  if (!/^[a-z0-9._%+*-]*$/.test(braces)) return "local part has characters not allowed in an email address";
  return null;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/** Compiles a pattern that passed emailPatternProblem(). Throws on an invalid one. */
export function compileEmailPattern(raw: string): CompiledEmailPattern {
  const problem = emailPatternProblem(raw);
  if (problem) throw new Error(`email pattern "${raw}" ${problem}`);
  const p = raw.trim().toLowerCase();
  const [local, domain] = p.split("@") as [string, string];
  // "first.last" written without braces: only when the whole local part is placeholder words.
  const bareWords = /^[a-z]+(?:[._-][a-z]+)*$/.test(local) && local.split(/[._-]/).every((w) => w in PLACEHOLDERS && w.length > 1);
  let localRe = "";
  if (bareWords) {
    localRe = local.replace(/[a-z]+|[._-]/g, (tok) => (tok in PLACEHOLDERS ? PLACEHOLDERS[tok]! : escapeRe(tok)));
  } else {
    const re = /\{([a-z]+)\}|\*|[^{*]/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(local)) !== null) {
      if (m[1]) localRe += PLACEHOLDERS[m[1]]!;
      else if (m[0] === "*") localRe += "[a-z0-9._%+-]*";
      else localRe += escapeRe(m[0]);
    }
  }
  const concrete = domain.replace(/^\*\./, "");
  const domainRe = domain.startsWith("*.") ? `(?:[a-z0-9-]+\\.)+${escapeRe(concrete)}` : escapeRe(concrete);
  const compiled = RE2JS.compile(`${localRe}@${domainRe}`);
  return {
    pattern: p,
    domain: concrete,
    matches: (email: string) => email.length <= 254 && compiled.matches(email.toLowerCase()),
  };
}
