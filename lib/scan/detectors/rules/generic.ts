// Generic secret-looking assignments: `password=…`, `secret: …`, `FOO_TOKEN=…`, `"apiKey": "…"`,
// `ENV DB_PASSWORD …`, `--password …`. A hand-written lexer (linear, bounded) instead of a regex,
// because it runs on every hit of very common words ("token" is everywhere in JavaScript).
import type { Chars, DetectorDef, Env, RawMatch } from "../engine";
import { charClasses, emailsIn, isHashOrId, isPlaceholder, shannon } from "../util";

const isIdent = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46;

// The identifier's last word decides: `client_secret` yes, `secretary`/`tokenizer`/`password_field` no.
const PASSWORD_WORDS = new Set(["password", "passwd", "pwd", "pass", "passphrase", "dbpass", "dbpassword"]);
const SECRET_WORDS = new Set([
  "secret", "token", "apikey", "key", "secretkey", "accesskey", "privatekey", "credentials", "credential",
  "authtoken", "accesstoken", "apitoken", "apisecret", "clientsecret", "secrettoken", "refreshtoken",
  "bearertoken", "authkey", "masterkey", "signingkey", "encryptionkey", "webhooksecret", "keybase",
]);
// Which `…key` identifiers count: `api_key`, `access_key`, `secret_key`, `private_key`, not `primary_key`.
const KEY_QUALIFIERS = new Set(["api", "access", "secret", "private", "auth", "master", "signing", "encryption", "client", "app", "license", "service", "account", "admin", "session", "hmac", "jwt"]);

const CODE_EXT = /\.(m?[jt]sx?|cjs|mts|cts|py|rb|go|java|kt|scala|cs|php|rs|c|cc|cpp|h|hpp|swift|dart|lua|pl|pm|vue|svelte|coffee|groovy|vim|el|tcl|tm|lisp|clj|ex|exs|erl|hs|ml|nim|zig|r|jl|ps1|psm1|awk)$/i;
const MARKUP_EXT = /\.(md|markdown|rst|txt|html?|adoc|textile|1|3|5|8|man|info|tex|pod)$/i;

function words(ident: string): string[] {
  return ident
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[_.-]+/)
    .filter(Boolean);
}

type Kind = "password" | "secret";

function classify(ident: string): Kind | null {
  const w = words(ident);
  const last = w[w.length - 1];
  if (!last) return null;
  const joined2 = w.slice(-2).join("");
  if (last === "base" && w.slice(-3).join("_") === "secret_key_base") return "secret";
  if (PASSWORD_WORDS.has(last) || PASSWORD_WORDS.has(joined2)) return "password";
  if (last === "key") {
    const q = w[w.length - 2];
    return q && KEY_QUALIFIERS.has(q) ? "secret" : null;
  }
  if (SECRET_WORDS.has(last) || SECRET_WORDS.has(joined2)) return "secret";
  return null;
}

/** Does the value look like a real credential rather than code, prose or a placeholder? */
export function plausibleValue(v: string, kind: Kind): boolean {
  if (v.length < 8 || v.length > 200) return false;
  if (/\s/.test(v)) return false;
  if (isPlaceholder(v)) return false;
  // code and references: calls, member access, paths, URLs, interpolation, regex, file names
  if (/[()[\]{}<>;`\\]|^[@#*&%!?,:=+-]|[:,]$|^\.|^\//.test(v)) return false;
  if (/^[A-Za-z_][A-Za-z0-9_]*=$/.test(v)) return false; // the next `key=` of a list
  // a value naming itself a password/secret/token is a variable reference or a sample
  // (`s:netrw_passwd`, `DB_PASS_VAR`, `my-secret`, `mysecret`), not a password that contains "Pass"
  if (/(^|[_.:$-])(pass(word|wd)?|pwd|secret|token|key|cred(entials?)?)([_.:$-]|\d*$)/i.test(v) && !(v.length >= 24 && shannon(v) >= 4)) return false;
  if (/^(my|your|the|some|super|top)?(pass(word|wd)?|pwd|secret|token|key)\d*$/i.test(v)) return false;
  if (/^https?:|^[a-z]+:\/\//i.test(v)) return false;
  if (/^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)+$/.test(v)) return false; // a.b.c
  if (/\.(json|ya?ml|pem|key|crt|txt|conf|cfg|ini|env|js|ts|py|sh|p12|pfx|jks|der)$/i.test(v)) return false;
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(v)) return false; // ANOTHER_ENV_NAME
  if (/^[a-z]+([A-Z][a-z0-9]+)+$/.test(v)) return false; // camelCaseIdentifier
  if (/^([A-Z][a-z0-9]+)+$/.test(v)) return false; // PascalCaseIdentifier
  if (/^[a-z]+(-[a-z]+)+$/.test(v) || /^[a-z]+(_[a-z]+)+$/.test(v)) return false; // kebab/snake words
  if (/^[A-Za-z]+$/.test(v) && !(v.length >= 20 && charClasses(v) >= 2 && shannon(v) >= 4)) return false;
  if (/^\d+$/.test(v)) return false;
  if (/^(true|false|null|nil|none|yes|no|on|off)$/i.test(v)) return false;
  if (isHashOrId(v)) return false;
  if (/^(sha\d+|md5|sha)[:-]/i.test(v) || /^\$2[aby]\$|^\$argon2|^\$[156]\$|^pbkdf2/.test(v)) return false; // stored hashes
  const h = shannon(v);
  if (kind === "password") return charClasses(v) >= 2 && h >= 2.8;
  return v.length >= 16 && charClasses(v) >= 2 && h >= 3.5;
}

/** start of the identifier around a keyword hit */
function identStart(text: Chars, hit: number): number {
  let s = hit;
  while (s > 0 && hit - s < 64 && isIdent(text.charCodeAt(s - 1))) s--;
  return s;
}

/** end of the identifier around a keyword hit */
function identEnd(text: Chars, hit: number): number {
  let e = hit;
  while (e < text.length && e - hit < 64 && isIdent(text.charCodeAt(e))) e++;
  return e;
}

const SP = 32;
const TAB = 9;
const EQ = 61;
const COLON = 58;
const isBlank = (c: number) => c === SP || c === TAB;

/**
 * Index just past the assignment operator after the identifier [s, e) (optionally after a
 * closing quote), or -1 when the identifier is not being assigned. Char codes only: it is also
 * the precheck the byte gate runs on a file's bytes.
 */
function assignmentEnd(text: Chars, s: number, e: number): number {
  let i = e;
  const lim = Math.min(text.length, e + 260);
  const q = text.charCodeAt(i);
  if (q === 34 || q === 39) i++;
  let ws = 0;
  while (i < lim && isBlank(text.charCodeAt(i))) {
    i++;
    ws++;
  }
  const c0 = text.charCodeAt(i);
  const c1 = text.charCodeAt(i + 1);
  let op = false;
  if (c0 === EQ && c1 !== EQ && c1 !== 126) op = true; // not == or =~
  else if (c0 === COLON && c1 === EQ) {
    op = true;
    i++;
  } else if (c0 === COLON && c1 !== COLON) op = true;
  // `=>` in JS is an arrow function, in Ruby a hash: it needs a quoted value (checked by the caller)
  if (op) {
    i++;
    // `password= value` in shell/ENV syntax assigns the empty string
    return c0 === EQ && ws === 0 && isBlank(text.charCodeAt(i)) ? -1 : i;
  }
  // Dockerfile `ENV KEY value` / `ARG`, and CLI flags `--password value`
  if (ws > 0 && (envOrArgBefore(text, s) || (text.charCodeAt(s) === 45 && text.charCodeAt(s + 1) === 45))) return i;
  if (c0 === EQ && c1 === 62) return i + 2;
  return -1;
}

/** `ENV ` / `ARG ` right before the identifier, on its line (rare: only after a blank) */
function envOrArgBefore(text: Chars, s: number): boolean {
  let b8 = "";
  for (let k = Math.max(0, s - 8); k < s; k++) b8 += String.fromCharCode(text.charCodeAt(k));
  return /(^|\s)(ENV|ARG)\s+$/.test(b8.slice(b8.lastIndexOf("\n") + 1));
}

/** precheck: the identifier around the keyword is being assigned something */
const assignedAt = (text: Chars, hit: number) => assignmentEnd(text, identStart(text, hit), identEnd(text, hit)) >= 0;

function findGeneric(env: Env, hit: number): RawMatch[] {
  const { text, ctx } = env;
  // expand to the whole identifier around the keyword
  const s = identStart(text, hit);
  const e = identEnd(text, hit);
  const path = ctx.path ?? "";
  const isCode = ctx.source === "file" && CODE_EXT.test(path);
  let i = assignmentEnd(text, s, e);
  if (i < 0) return [];
  const lim = Math.min(text.length, e + 260);
  while (i < lim && (text[i] === " " || text[i] === "\t")) i++;
  // classify only now: most keyword hits ("token" in code) have no assignment and stop above
  const kind = classify(text.slice(s, e).replace(/^[.-]+|[.-]+$/g, ""));
  if (!kind) return [];
  const q = text[i];
  let vs: number;
  let ve: number;
  if (q === '"' || q === "'" || q === "`") {
    vs = i + 1;
    ve = vs;
    while (ve < lim && text[ve] !== q && text[ve] !== "\n") ve++;
    if (text[ve] !== q) return [];
  } else {
    if (isCode) return []; // unquoted value in source code is an expression, not a literal
    vs = i;
    ve = vs;
    while (ve < lim) {
      const c = text.charCodeAt(ve);
      if (c <= 32 || c === 44 || c === 59 || c === 34 || c === 39 || c === 125 || c === 93 || c === 41) break;
      ve++;
    }
  }
  const value = text.slice(vs, ve);
  if (!plausibleValue(value, kind)) return [];
  // prose in docs: "password: hunter2" inside a markdown sentence is not config
  if (ctx.source === "file" && MARKUP_EXT.test(path) && q !== '"' && q !== "'") return [];
  const hints = emailsIn(text.slice(Math.max(0, s - 256), Math.min(text.length, ve + 256)), 2);
  return [{ secret: value, index: vs, end: ve, hints }];
}

export const GENERIC_DETECTORS: DetectorDef[] = [
  {
    id: "generic-secret",
    provider: "generic",
    severity: "medium",
    description: "Secret-looking assignment (password=, secret:, *_TOKEN=, api_key …) passing entropy and placeholder filters",
    keywords: ["password", "passwd", "pwd", "passphrase", "_pass", "secret", "token", "apikey", "api_key", "api-key", "access_key", "accesskey", "private_key", "privatekey", "credential", "signing_key", "encryption_key", "master_key"],
    precheck: assignedAt,
    find: findGeneric,
    priority: 0,
  },
];
