// Domain names as a security team types them ("https://www.Acme.com/about", "bücher.de") →
// one canonical ASCII form ("acme.com", "xn--bcher-kva.de"). Pure; unit-tested.
import { domainToASCII } from "node:url";

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD_RE = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** Hostname label rules only (no public-suffix requirement): used for internal host names. */
export function isHostname(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  return host.split(".").every((l) => LABEL_RE.test(l));
}

export function normalizeDomain(input: string): Parsed<string> {
  let s = input.trim().toLowerCase();
  if (!s) return { ok: false, message: "Enter a domain, e.g. acme.com" };
  if (s.length > 300) return { ok: false, message: "Domain is too long" };
  s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//, ""); // scheme
  s = s.replace(/^[^/?#]*@/, ""); // user info
  s = s.split(/[/?#]/, 1)[0] ?? "";
  s = s.replace(/:\d*$/, ""); // port
  s = s.replace(/\.+$/, ""); // trailing root dot
  if (s.startsWith("www.")) s = s.slice(4);
  if (s.includes("*")) return { ok: false, message: "Wildcards are not allowed in domains; register the parent domain (acme.com covers its subdomains)" };
  if (/^[\d.]+$/.test(s) || s.includes(":") || s.startsWith("[")) return { ok: false, message: "Enter a domain name, not an IP address" };
  const ascii = domainToASCII(s);
  if (!ascii) return { ok: false, message: "This is not a valid domain name" };
  if (ascii.length > 253) return { ok: false, message: "Domain is too long (max 253 characters)" };
  const labels = ascii.split(".");
  if (labels.length < 2) return { ok: false, message: "Enter a full domain with a suffix, e.g. acme.com" };
  if (!labels.every((l) => LABEL_RE.test(l))) return { ok: false, message: "Domain labels may contain only letters, digits and inner hyphens (max 63 each)" };
  if (!TLD_RE.test(labels[labels.length - 1]!)) return { ok: false, message: "The domain must end in a public suffix such as .com or .io" };
  return { ok: true, value: ascii };
}
