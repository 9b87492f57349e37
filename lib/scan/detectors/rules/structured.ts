// Detectors that need more than one regular expression: key pairs, PEM blocks, JWTs, URLs with
// credentials. Each finder is a hand-written, bounded, linear scan (plus re2js on a bounded window).
import { RE2JS } from "re2js";
import type { AttributionHint, Severity } from "../../types";
import type { Chars, DetectorDef, Env, RawMatch } from "../engine";
import { awsAccountFromKeyId, charClasses, decodeJwt, emailsIn, hostOf, isPlaceholder, pushHint, shannon } from "../util";

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isB64url = (c: number) => isAlnum(c) || c === 45 || c === 95; // - _

// ---------------------------------------------------------------- AWS
const AWS_SECRET_RE = RE2JS.compile("(?:^|[^A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)");

/**
 * precheck: a 20-char key id [A-Z0-9] standing alone. Most hits are "ABIA"/"AKIA" inside base64
 * runs (source maps, inlined fonts), and fail at the boundaries.
 */
function awsKeyIdAt(text: Chars, hit: number): boolean {
  if (hit > 0 && isAlnum(text.charCodeAt(hit - 1))) return false;
  if (hit + 20 > text.length || (hit + 20 < text.length && isAlnum(text.charCodeAt(hit + 20)))) return false;
  for (let i = hit + 4; i < hit + 20; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return false;
  }
  return true;
}

/** boundaries and charset: awsKeyIdAt, the precheck the engine runs before any finder */
function findAws(env: Env, hit: number): RawMatch[] {
  const { text } = env;
  const id = text.substr(hit, 20);
  if (!/^(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}$/.test(id)) return [];
  if (isPlaceholder(id) || shannon(id.slice(4)) < 2.5) return [];
  const hints: AttributionHint[] = [];
  pushHint(hints, "aws_account_id", awsAccountFromKeyId(id));
  // The secret half is usually within a few lines of the id (credentials files, env files, JSON).
  const ws = Math.max(0, hit - 1024);
  const we = Math.min(text.length, hit + 1044);
  const m = AWS_SECRET_RE.matcher(text.slice(ws, we));
  let best: { s: string; i: number } | null = null;
  let guard = 0;
  while (m.find() && guard++ < 64) {
    const s = m.group(1) as string;
    const i = ws + m.start(1);
    if (charClasses(s) < 3 || shannon(s) < 4.0 || isPlaceholder(s)) continue;
    if (!/[A-Z]/.test(s) || !/[a-z]/.test(s)) continue;
    if (!best || Math.abs(i - hit) < Math.abs(best.i - hit)) best = { s, i };
  }
  for (const h of emailsIn(text.slice(ws, we), 2)) pushHint(hints, h.type, h.value);
  if (best) return [{ secret: best.s, index: best.i, end: best.i + 40, hints }];
  return [{ detector: "aws-access-key-id", secret: id, index: hit, end: hit + 20, hints }];
}

// ---------------------------------------------------------------- PEM / OpenSSH / PGP / PuTTY
const PEM_KINDS: Record<string, { id: string; severity: Severity }> = {
  "RSA PRIVATE KEY": { id: "rsa-private-key", severity: "critical" },
  "EC PRIVATE KEY": { id: "ec-private-key", severity: "critical" },
  "DSA PRIVATE KEY": { id: "dsa-private-key", severity: "critical" },
  "PRIVATE KEY": { id: "pkcs8-private-key", severity: "critical" },
  "ENCRYPTED PRIVATE KEY": { id: "encrypted-private-key", severity: "high" },
  "OPENSSH PRIVATE KEY": { id: "openssh-private-key", severity: "critical" },
  "PGP PRIVATE KEY BLOCK": { id: "pgp-private-key", severity: "critical" },
  "SSH2 ENCRYPTED PRIVATE KEY": { id: "encrypted-private-key", severity: "high" },
};
const PEM_MAX = 64 * 1024;

function findPem(env: Env, hit: number): RawMatch[] {
  const { text } = env;
  const head = text.substr(hit, 80);
  const hm = /^-----BEGIN ([A-Z0-9 ]{3,40})-----/.exec(head);
  if (!hm) return [];
  const label = hm[1] as string;
  const kind = PEM_KINDS[label];
  if (!kind) return [];
  const endMarker = `-----END ${label}-----`;
  const endAt = nextIndexOf(env, endMarker, hit + hm[0].length);
  if (endAt < 0 || endAt - hit > PEM_MAX) return [];
  const end = endAt + endMarker.length;
  const inner = text.slice(hit + hm[0].length, endAt);
  // Body: drop header lines (Proc-Type, DEK-Info, PGP "Version:"), real and JSON-escaped newlines.
  const lines = inner.replace(/\\r\\n|\\n|\\r/g, "\n").split(/\r?\n/);
  const bodyLines = lines.filter((l) => !l.includes(":") && !l.startsWith("="));
  const body = bodyLines.join("").replace(/[\s"',+]/g, "");
  if (body.length < 64 || !/^[A-Za-z0-9+/=]+$/.test(body) || shannon(body) < 4.5) return [];
  let id = kind.id;
  let severity = kind.severity;
  if (/Proc-Type:\s*4,ENCRYPTED/.test(inner)) {
    id = "encrypted-private-key";
    severity = "high";
  } else if (id === "openssh-private-key") {
    // openssh-key-v1\0, then a length-prefixed cipher name; "none" means unencrypted.
    const raw = Buffer.from(body.slice(0, 64), "base64");
    if (raw.subarray(0, 15).toString("latin1") === "openssh-key-v1\0") {
      const len = raw.readUInt32BE(15);
      const cipher = raw.subarray(19, 19 + Math.min(len, 32)).toString("latin1");
      if (cipher !== "none") {
        id = "encrypted-private-key";
        severity = "high";
      }
    }
  }
  return [{ detector: id, severity, secret: text.slice(hit, end), index: hit, end, hints: [] }];
}

/**
 * text.indexOf(needle, from), memoised per scan: hits arrive in increasing order, so a block start
 * repeated 30 000 times without an end costs one scan of the text, not 30 000.
 */
function nextIndexOf(env: Env, needle: string, from: number): number {
  const key = `next:${needle}`;
  const cached = env.memo.get(key);
  const cachedFrom = env.memo.get(`from:${needle}`);
  // valid when the earlier search started at or before `from` and found nothing in between
  if (cached !== undefined && cachedFrom !== undefined && cachedFrom <= from && (cached === -1 || cached >= from)) return cached;
  const at = env.text.indexOf(needle, from);
  env.memo.set(key, at);
  env.memo.set(`from:${needle}`, from);
  return at;
}

function findPutty(env: Env, hit: number): RawMatch[] {
  const { text } = env;
  const head = /^PuTTY-User-Key-File-[23]: ([a-z0-9-]{3,40})\r?\n/.exec(text.substr(hit, 80));
  if (!head) return [];
  const pm = nextIndexOf(env, "Private-Lines:", hit);
  if (pm < 0 || pm - hit > PEM_MAX) return [];
  const macAt = nextIndexOf(env, "Private-MAC:", pm);
  if (macAt < 0 || macAt - hit > PEM_MAX) return [];
  let end = text.indexOf("\n", macAt);
  if (end < 0) end = text.length;
  if (text.charCodeAt(end - 1) === 13) end--;
  const enc = /Encryption: ([a-z0-9-]+)/.exec(text.slice(hit, pm))?.[1];
  const encrypted = enc !== undefined && enc !== "none";
  const comment = /Comment: ([^\r\n]{1,200})/.exec(text.slice(hit, pm))?.[1];
  const hints = comment ? emailsIn(comment, 1) : [];
  return [{
    detector: encrypted ? "encrypted-private-key" : "putty-private-key",
    severity: encrypted ? "high" : "critical",
    secret: text.slice(hit, end),
    index: hit,
    end,
    hints,
  }];
}

// ---------------------------------------------------------------- JWT
function findJwt(env: Env, hit: number): RawMatch[] {
  const { text } = env;
  if (hit > 0 && (isB64url(text.charCodeAt(hit - 1)) || text.charCodeAt(hit - 1) === 46)) return [];
  const seg = (from: number, max: number): number => {
    let i = from;
    const lim = Math.min(text.length, from + max);
    while (i < lim && isB64url(text.charCodeAt(i))) i++;
    return i;
  };
  const h = seg(hit, 2048);
  if (h - hit < 10 || text.charCodeAt(h) !== 46) return [];
  if (!text.startsWith("eyJ", h + 1)) return [];
  const p = seg(h + 1, 16384);
  if (p - h < 10 || text.charCodeAt(p) !== 46) return [];
  const s = seg(p + 1, 2048);
  if (s - p < 16) return []; // unsigned or truncated: not a usable credential
  if (s < text.length && (isB64url(text.charCodeAt(s)) || text.charCodeAt(s) === 46)) return [];
  const tokenText = text.slice(hit, s);
  const jwt = decodeJwt(tokenText);
  if (!jwt || typeof jwt.header.alg !== "string") return [];
  const pl = jwt.payload;
  const hints: AttributionHint[] = [];
  const iss = typeof pl.iss === "string" ? pl.iss : "";
  const sub = typeof pl.sub === "string" ? pl.sub : "";
  if (iss.startsWith("http")) pushHint(hints, "host", hostOf(iss));
  if (typeof pl.email === "string" && pl.email.includes("@")) pushHint(hints, "email", pl.email.toLowerCase().slice(0, 254));
  const base = { secret: tokenText, index: hit, end: s, hints };
  if (sub === "1234567890" || pl.name === "John Doe") return []; // the jwt.io sample token
  if (iss === "kubernetes/serviceaccount" || "kubernetes.io" in pl || sub.startsWith("system:serviceaccount:")) {
    if (sub) pushHint(hints, "username", sub.slice(0, 200));
    return [{ ...base, detector: "kubernetes-service-account-token", severity: "critical" }];
  }
  if (typeof pl.role === "string" && (iss === "supabase" || iss.includes("supabase") || typeof pl.ref === "string")) {
    if (pl.role === "service_role") {
      if (typeof pl.ref === "string") pushHint(hints, "host", `${pl.ref}.supabase.co`);
      return [{ ...base, detector: "supabase-service-role-key", severity: "critical" }];
    }
    if (pl.role === "anon") return []; // published by design
  }
  let severity: Severity = "medium";
  if (jwt.header.alg === "none") severity = "low";
  if (typeof pl.exp === "number" && pl.exp * 1000 < Date.now()) severity = "low";
  return [{ ...base, detector: "jwt", severity }];
}

// ---------------------------------------------------------------- URLs with credentials
const URL_KINDS: Record<string, string> = {
  postgres: "postgres-url", postgresql: "postgres-url", "postgresql+psycopg2": "postgres-url", "postgresql+asyncpg": "postgres-url",
  mysql: "mysql-url", mariadb: "mysql-url", "mysql+pymysql": "mysql-url", "mysql2": "mysql-url",
  mongodb: "mongodb-url", "mongodb+srv": "mongodb-url",
  redis: "redis-url", rediss: "redis-url",
  amqp: "amqp-url", amqps: "amqp-url",
};
const DUMMY_HOSTS = /(^|\.)(example\.(com|org|net)|example|host|hostname|your[-_]?host|server|domain\.com|foo|bar|proxyhost|proxy|company\.com|mycompany\.com|yourcompany\.com|bogus\.net|test|invalid|localdomain|host\.com|myhost|yourdomain\.com|mydomain\.com)$|^(hostname|host|server|proxyhost|myhost|your-?host|somehost)(:|$)/;
const LOCAL_HOSTS = /^(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|::1|db|database|postgres|mysql|mongo|mongodb|redis|rabbitmq)$/;

const isSchemeChar = (c: number) => isAlnum(c) || c === 43 || c === 46 || c === 45; // + . -

/**
 * The '@' ending the userinfo of the URL whose "://" is at `hit`, or -1: up to '@' before any of
 * / ? # whitespace quotes. "://" is the most frequent keyword hit on real images, and almost never
 * has one.
 */
function userinfoEnd(text: Chars, hit: number): number {
  const from = hit + 3;
  let at = -1;
  const lim = Math.min(text.length, from + 512);
  for (let i = from; i < lim; i++) {
    const c = text.charCodeAt(i);
    if (c === 64) at = i; // last '@' wins: passwords may contain an unencoded '@'
    else if (c === 47 || c === 63 || c === 35 || c <= 32 || c === 34 || c === 39 || c === 60 || c === 62 || c === 96 || c === 92) break;
  }
  return at;
}

/** precheck: a scheme before "://" and credentials after it */
const urlWithUserinfoAt = (text: Chars, hit: number) => hit > 0 && isSchemeChar(text.charCodeAt(hit - 1)) && userinfoEnd(text, hit) >= 0;

function findUrl(env: Env, hit: number): RawMatch[] {
  const { text } = env;
  // scheme: letters, digits, + . - backwards from "://"
  let s = hit;
  while (s > 0 && hit - s < 32 && isSchemeChar(text.charCodeAt(s - 1))) s--;
  const from = hit + 3;
  const at = userinfoEnd(text, hit);
  if (s === hit || at < 0) return [];
  const lim = Math.min(text.length, from + 512);
  const scheme = text.slice(s, hit).toLowerCase();
  const isJdbc = text.slice(Math.max(0, s - 5), s).toLowerCase() === "jdbc:";
  const userinfo = text.slice(from, at);
  const colon = userinfo.indexOf(":");
  // an empty user is common (`redis://:password@host`, `https://:token@host`)
  if (colon < 0 || colon === userinfo.length - 1) return [];
  const user = userinfo.slice(0, colon);
  const password = userinfo.slice(colon + 1);
  let hostEnd = at + 1;
  while (hostEnd < lim) {
    const c = text.charCodeAt(hostEnd);
    if (isAlnum(c) || c === 46 || c === 45 || c === 95 || c === 91 || c === 93 || c === 44) hostEnd++;
    else break;
  }
  const host = text.slice(at + 1, hostEnd).toLowerCase().split(",")[0] ?? "";
  if (!host || DUMMY_HOSTS.test(host)) return [];
  if (password === user || password.length < 3 || isPlaceholder(password) || isPlaceholder(decodeURIComponentSafe(password))) return [];
  if (/^[$%{<[]/.test(password) || /\$\{|\{\{|%\(/.test(password)) return [];
  if (/^(user(name)?|login)$/i.test(user) && /^pass(word)?$/i.test(password)) return [];
  if (/pass|pwd|secret/i.test(password) && password.length < 16) return []; // proxypass, mypassword1
  if (/^(xyzzy|hello|world|foo|bar|baz|qux|s3cr3t|p@ssw0rd|passw0rd|pa55word|pa\$\$word|hunter2)$/i.test(decodeURIComponentSafe(password))) return [];
  let detector = URL_KINDS[scheme] ?? "basic-auth-url";
  if (isJdbc) detector = "jdbc-url";
  if (detector === "basic-auth-url" && !/^(https?|ftps?|sftp|smtps?|ldaps?|git|ssh|svn|wss?|nats|kafka|mqtt|rtsp|sqlserver|oracle|cassandra|couchdb|neo4j|bolt|influxdb|clickhouse|elasticsearch|memcached|socks5?|proxy)$/.test(scheme))
    return [];
  const hints: AttributionHint[] = [];
  pushHint(hints, "host", host.replace(/^\[|\]$/g, ""));
  pushHint(hints, "username", decodeURIComponentSafe(user).slice(0, 200));
  let severity: Severity = detector === "basic-auth-url" ? "high" : "critical";
  if (LOCAL_HOSTS.test(host)) severity = "low";
  const index = from + colon + 1;
  return [{ detector, severity, secret: password, index, end: at, hints }];
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** jdbc:…;password=… or ?password=… (SQL Server, Oracle, PostgreSQL JDBC parameters) */
function findJdbc(env: Env, hit: number): RawMatch[] {
  const { text } = env;
  let e = hit;
  const lim = Math.min(text.length, hit + 1024);
  while (e < lim) {
    const c = text.charCodeAt(e);
    if (c <= 32 || c === 34 || c === 39 || c === 96 || c === 60) break;
    e++;
  }
  const url = text.slice(hit, e);
  const pm = /[?&;]password=([^&;]{1,200})/i.exec(url);
  if (!pm || pm.index === undefined) return [];
  const password = pm[1] as string;
  if (isPlaceholder(password) || password.length < 3 || /^[$%{<]/.test(password)) return [];
  const index = hit + pm.index + pm[0].length - password.length;
  const hints: AttributionHint[] = [];
  const hostM = /^jdbc:[a-z0-9:]+:(?:thin:@)?\/\/([A-Za-z0-9.-]{1,253})/i.exec(url) ?? /^jdbc:[a-z0-9]+:thin:@([A-Za-z0-9.-]{1,253})/i.exec(url);
  const host = hostM?.[1]?.toLowerCase();
  if (host && DUMMY_HOSTS.test(host)) return [];
  pushHint(hints, "host", host);
  const um = /[?&;]user(?:name)?=([^&;]{1,200})/i.exec(url);
  pushHint(hints, "username", um?.[1]);
  if (um?.[1] === password) return [];
  const severity: Severity = host && LOCAL_HOSTS.test(host) ? "low" : "critical";
  return [{ detector: "jdbc-url", severity, secret: password, index, end: index + password.length, hints }];
}

// ---------------------------------------------------------------- GCP service account JSON
function findGcp(env: Env, hit: number): RawMatch[] {
  const { text } = env;
  let i = hit + '"private_key"'.length;
  const lim = Math.min(text.length, hit + 16384);
  while (i < lim && (text[i] === " " || text[i] === "\t")) i++;
  if (text[i] !== ":") return [];
  i++;
  while (i < lim && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  if (text[i] !== '"') return [];
  const vs = i;
  i++;
  while (i < lim && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  if (i >= lim) return [];
  const ve = i + 1;
  let value: string;
  try {
    value = JSON.parse(text.slice(vs, ve)) as string;
  } catch {
    return [];
  }
  const b = value.indexOf("-----BEGIN ");
  const em = /-----END [A-Z ]{0,30}PRIVATE KEY-----/.exec(value);
  if (b < 0 || !em) return [];
  const pem = value.slice(b, em.index + em[0].length);
  const ctxText = text.slice(Math.max(0, hit - 8192), Math.min(text.length, ve + 8192));
  const email = /"client_email"\s*:\s*"([^"\\]{3,254})"/.exec(ctxText)?.[1];
  const isSa = /"type"\s*:\s*"service_account"/.test(ctxText) || (email?.endsWith(".gserviceaccount.com") ?? false);
  if (!isSa) return [];
  const hints: AttributionHint[] = [];
  pushHint(hints, "email", email?.toLowerCase());
  const project = /"project_id"\s*:\s*"([a-z0-9-]{4,40})"/.exec(ctxText)?.[1] ?? /@([a-z0-9-]{4,40})\.iam\.gserviceaccount\.com$/.exec(email ?? "")?.[1];
  if (project) pushHint(hints, "url", `https://console.cloud.google.com/iam-admin/serviceaccounts?project=${project}`);
  const body = pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s/g, "");
  if (body.length < 64 || shannon(body) < 4.5) return [];
  return [{ secret: pem, index: vs, end: ve, hints }];
}

// ---------------------------------------------------------------- registry
export const STRUCTURED_DETECTORS: DetectorDef[] = [
  {
    id: "aws-access-key",
    provider: "aws",
    severity: "critical",
    description: "AWS access key id with its secret access key nearby (fingerprint = the secret key); account id decoded from the key id",
    keywords: ["AKIA", "ASIA", "ABIA", "ACCA"],
    caseSensitive: true,
    precheck: awsKeyIdAt,
    find: findAws,
    noPlaceholderFilter: false,
    siblings: [{ id: "aws-access-key-id", severity: "medium", description: "AWS access key id alone (no secret key found nearby)" }],
  },
  {
    id: "gcp-service-account",
    provider: "google",
    severity: "critical",
    description: "GCP service-account JSON key (fingerprint = the PEM private key); hints: client_email, project",
    keywords: ['"private_key"'],
    find: findGcp,
    noPlaceholderFilter: true,
  },
  {
    id: "private-key",
    provider: "crypto",
    severity: "critical",
    description: "PEM private key block",
    keywords: ["-----BEGIN "],
    caseSensitive: true,
    find: findPem,
    virtual: true,
    noPlaceholderFilter: true,
    siblings: [
      { id: "rsa-private-key", severity: "critical", description: "PEM RSA private key (PKCS#1)" },
      { id: "ec-private-key", severity: "critical", description: "PEM EC private key (SEC1)" },
      { id: "dsa-private-key", severity: "critical", description: "PEM DSA private key" },
      { id: "pkcs8-private-key", severity: "critical", description: "PEM PKCS#8 private key" },
      { id: "encrypted-private-key", severity: "high", description: "Passphrase-protected private key (PEM, PKCS#8, OpenSSH or PuTTY)" },
      { id: "openssh-private-key", severity: "critical", description: "OpenSSH private key" },
      { id: "pgp-private-key", severity: "critical", description: "PGP private key block" },
    ],
  },
  {
    id: "putty-private-key",
    provider: "crypto",
    severity: "critical",
    description: "PuTTY private key file (PPK v2/v3)",
    keywords: ["PuTTY-User-Key-File-"],
    caseSensitive: true,
    find: findPutty,
    noPlaceholderFilter: true,
  },
  {
    id: "jwt",
    provider: "jwt",
    severity: "medium",
    description: "JSON Web Token (decoded to classify; low when expired or unsigned)",
    keywords: ["eyJ"],
    caseSensitive: true,
    find: findJwt,
    priority: 1,
    noPlaceholderFilter: true,
    siblings: [
      { id: "kubernetes-service-account-token", severity: "critical", description: "Kubernetes service-account token (JWT issued by kubernetes/serviceaccount)" },
      { id: "supabase-service-role-key", severity: "critical", description: "Supabase service_role JWT (bypasses row-level security)" },
    ],
  },
  {
    id: "basic-auth-url",
    provider: "url",
    severity: "high",
    description: "URL with user:password@ credentials (fingerprint = the password)",
    keywords: ["://"],
    precheck: urlWithUserinfoAt,
    find: findUrl,
    priority: 1,
    noPlaceholderFilter: true,
    siblings: [
      { id: "postgres-url", severity: "critical", description: "PostgreSQL connection URL with a password" },
      { id: "mysql-url", severity: "critical", description: "MySQL/MariaDB connection URL with a password" },
      { id: "mongodb-url", severity: "critical", description: "MongoDB (incl. mongodb+srv) connection URL with a password" },
      { id: "redis-url", severity: "critical", description: "Redis connection URL with a password" },
      { id: "amqp-url", severity: "critical", description: "AMQP (RabbitMQ) URL with a password" },
      { id: "jdbc-url", severity: "critical", description: "JDBC URL with a password (userinfo or password= parameter)" },
    ],
  },
  {
    id: "jdbc-url",
    provider: "url",
    severity: "critical",
    description: "JDBC URL password parameter",
    keywords: ["jdbc:"],
    find: findJdbc,
    priority: 1,
    noPlaceholderFilter: true,
  },
];
