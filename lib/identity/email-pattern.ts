// SECURITY-RELEVANT: email patterns are user input that discovery matches against untrusted
// text, so they never become regular expressions. Grammar (lowercase, no spaces):
//
//   pattern := local "@" domain
//   local   := 1*( literal-char | "*" )     literal-char := a-z 0-9 . _ % + -
//   domain  := [ "*." ] registered-domain   (validated like a domain: acme.com, *.acme.com)
//
// "*" in the local part matches one or more characters other than "@"; "*." in front of the domain
// matches any subdomain (not the domain itself). Matching is a linear-time two-pointer glob, so a
// hostile pattern or address cannot trigger backtracking blow-ups.
// Refused as too broad: a wildcard-only local part together with a wildcard domain ("*@*.acme.com"
// is allowed, "*@*" / "*@*.com" are not because "com" is not a registrable domain).
import { normalizeDomain, type Parsed } from "./domain";

export interface EmailPattern {
  local: string;
  domain: string;
  subdomains: boolean;
  /** canonical text, e.g. "*@acme.com" */
  normalized: string;
}

const LOCAL_RE = /^[a-z0-9._%+*-]+$/;
const MAX_WILDCARDS = 4;

export function parseEmailPattern(input: string): Parsed<EmailPattern> {
  const s = input.trim().toLowerCase().replace(/^mailto:/, "");
  if (!s) return { ok: false, message: "Enter an email pattern, e.g. *@acme.com" };
  if (s.length > 200) return { ok: false, message: "Pattern is too long" };
  const at = s.indexOf("@");
  if (at < 0 || at !== s.lastIndexOf("@")) return { ok: false, message: "Use exactly one @, e.g. *@acme.com or first.last@acme.io" };
  const local = s.slice(0, at).replace(/\*+/g, "*");
  const domainPart = s.slice(at + 1);
  if (!local) return { ok: false, message: "Add the part before @ (use * for any name)" };
  if (local.length > 64) return { ok: false, message: "The part before @ is too long (max 64)" };
  if (!LOCAL_RE.test(local)) return { ok: false, message: "Before @ use only letters, digits, . _ % + - and * as a wildcard" };
  if (local.startsWith(".") || local.endsWith(".") || local.includes("..")) return { ok: false, message: "Dots cannot start, end or repeat in the part before @" };
  if ((local.match(/\*/g) ?? []).length > MAX_WILDCARDS) return { ok: false, message: `Use at most ${MAX_WILDCARDS} wildcards` };
  let subdomains = false;
  let d = domainPart;
  if (d.startsWith("*.")) {
    subdomains = true;
    d = d.slice(2);
  }
  if (d === "*" || d === "") return { ok: false, message: "The domain cannot be a wildcard; name your domain, e.g. *@acme.com" };
  if (d.includes("*")) return { ok: false, message: "A wildcard is only allowed as a leading *. in the domain, e.g. *@*.acme.com" };
  const dom = normalizeDomain(d);
  if (!dom.ok) return { ok: false, message: `Domain: ${dom.message}` };
  // Mail domains are literal: normalizeDomain strips "www.", which is wrong for an address.
  const domain = d.startsWith("www.") ? `www.${dom.value}` : dom.value;
  const normalized = `${local}@${subdomains ? "*." : ""}${domain}`;
  return { ok: true, value: { local, domain, subdomains, normalized } };
}

/** Glob where "*" matches one or more characters. Two-pointer, O(len(pattern)·len(text)) worst case,
 * no recursion and no regex; inputs are capped at 254 characters. */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      mark = ++t; // consume the one character "*" requires
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  return p === pattern.length;
}

export function compileEmailPattern(pattern: EmailPattern): (email: string) => boolean {
  return (email: string) => {
    if (typeof email !== "string" || email.length > 254) return false;
    const e = email.trim().toLowerCase();
    const at = e.lastIndexOf("@");
    if (at <= 0) return false;
    const local = e.slice(0, at);
    const domain = e.slice(at + 1);
    const domainOk = pattern.subdomains ? domain.endsWith(`.${pattern.domain}`) && domain.length > pattern.domain.length + 1 : domain === pattern.domain;
    return domainOk && !local.includes("@") && globMatch(pattern.local, local);
  };
}
