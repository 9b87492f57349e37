// File formats that hide credentials behind an encoding or a structure the line detectors cannot
// see: docker config `auth` (base64 user:password), .npmrc, .git-credentials, .netrc, kubeconfig,
// .pypirc, .aws/credentials. Chosen by the file path; every scan is bounded and linear.
import type { AttributionHint, Severity } from "../types";
import type { Decoded, Env } from "./engine";
import { b64decode, hostOf, isPlaceholder, pushHint } from "./util";

export interface DecoderInfo {
  id: string;
  provider: string;
  severity: Severity;
  description: string;
}

export const DECODER_DETECTORS: DecoderInfo[] = [
  { id: "docker-config-auth", provider: "docker", severity: "critical", description: "Registry password inside a base64 `auth` of .docker/config.json (fingerprint = the decoded password)" },
  { id: "docker-config-identity-token", provider: "docker", severity: "critical", description: "Registry identity (refresh) token in .docker/config.json" },
  { id: "npmrc-auth-token", provider: "npm", severity: "critical", description: "_authToken in .npmrc" },
  { id: "npmrc-auth", provider: "npm", severity: "critical", description: "_auth (base64 user:password) in .npmrc (fingerprint = the decoded password)" },
  { id: "npmrc-password", provider: "npm", severity: "critical", description: "_password (base64) in .npmrc (fingerprint = the decoded password)" },
  { id: "git-credentials", provider: "git", severity: "critical", description: "Credential line in .git-credentials (fingerprint = the password/token)" },
  { id: "netrc-password", provider: "netrc", severity: "critical", description: "machine/login/password entry in .netrc" },
  { id: "kubeconfig-token", provider: "kubernetes", severity: "critical", description: "User token in a kubeconfig" },
  { id: "kubeconfig-client-key", provider: "kubernetes", severity: "critical", description: "client-key-data in a kubeconfig (fingerprint = the decoded PEM key)" },
  { id: "kubeconfig-password", provider: "kubernetes", severity: "critical", description: "User password in a kubeconfig" },
  { id: "pypirc-password", provider: "pypi", severity: "critical", description: "Repository password/token in .pypirc" },
  { id: "aws-session-token", provider: "aws", severity: "high", description: "aws_session_token in .aws/credentials" },
];

const base = (p: string) => p.slice(p.lastIndexOf("/") + 1);

type Emit = (d: Omit<Decoded, "provider" | "severity"> & { detector: string }) => void;

/**
 * Whether decodeFile could act on a file at this path, from the path alone. decodeFile itself
 * starts with this test, so a decoder missing here is missing everywhere (and its tests fail),
 * never only behind the image scanner's byte gate.
 */
export function decoderMayApply(path: string): boolean {
  // every name below ends in one of these letters (any case): most paths are rejected here, with
  // no string work (this runs for every text file of an image without a live keyword hit)
  const last = path.charCodeAt(path.length - 1) | 0x20;
  if (last !== 0x6e && last !== 0x63 && last !== 0x73 && last !== 0x67 && last !== 0x6c) return false; // n c s g l
  const name = base(path).toLowerCase();
  return (
    DECODED_NAMES.has(name) ||
    name.endsWith(".kubeconfig") ||
    /\.ya?ml$/.test(name)
  );
}
const DECODED_NAMES = new Set(["config.json", ".npmrc", "npmrc", ".git-credentials", "git-credentials", ".netrc", "_netrc", ".pypirc", "credentials", "config", "kubeconfig"]);

export function decodeFile(env: Env): Decoded[] {
  const path = env.ctx.path;
  if (!path || env.ctx.source !== "file" || !decoderMayApply(path)) return [];
  const name = base(path).toLowerCase();
  const out: Decoded[] = [];
  const emit: Emit = (d) => {
    const info = DECODER_DETECTORS.find((x) => x.id === d.detector);
    if (info) out.push({ ...d, provider: info.provider, severity: info.severity });
    else if (d.detector === "aws-access-key") out.push({ ...d, provider: "aws", severity: "critical" });
  };
  const t = env.text;
  if (name === "config.json" && (path.includes(".docker/") || t.includes('"auths"'))) dockerConfig(env, emit);
  else if (name === ".npmrc" || name === "npmrc") npmrc(env, emit);
  else if (name === ".git-credentials" || name === "git-credentials") gitCredentials(env, emit);
  else if (name === ".netrc" || name === "_netrc") netrc(env, emit);
  else if (name === ".pypirc") pypirc(env, emit);
  else if ((name === "credentials" || name === "config") && path.includes(".aws/")) awsCredentials(env, emit);
  else if (name === "kubeconfig" || name.endsWith(".kubeconfig") || (name === "config" && path.includes(".kube/")) || (/\.ya?ml$|^config$/.test(name) && /^kind:\s*Config\s*$/m.test(t.slice(0, 65536)) && t.includes("users:")))
    kubeconfig(env, emit);
  return out;
}

/** Lines with their start offsets (files handed to decoders are small config files; still capped). */
function* lines(text: string, max = 1 << 20): Generator<[string, number]> {
  let s = 0;
  const lim = Math.min(text.length, max);
  while (s < lim) {
    let e = text.indexOf("\n", s);
    if (e < 0 || e > lim) e = lim;
    yield [text.slice(s, e).replace(/\r$/, ""), s];
    s = e + 1;
  }
}

function splitUserPass(decoded: string): [string, string] | null {
  const i = decoded.indexOf(":");
  if (i < 0 || i === decoded.length - 1) return null;
  return [decoded.slice(0, i), decoded.slice(i + 1)];
}

function dockerConfig(env: Env, emit: Emit): void {
  const t = env.text;
  const re = /"(auth|identitytoken)"\s*:\s*"([^"\\]{4,8192})"/g;
  let m: RegExpExecArray | null;
  let guard = 0;
  while ((m = re.exec(t)) !== null && guard++ < 500) {
    const value = m[2] as string;
    const index = m.index + m[0].length - value.length - 1;
    // the registry is the nearest enclosing key: `"host": {` before this entry
    const before = t.slice(Math.max(0, m.index - 2048), m.index);
    const keys = [...before.matchAll(/"([^"\\]{1,253})"\s*:\s*\{/g)];
    const registry = keys.length ? (keys[keys.length - 1]?.[1] ?? "") : "";
    const hints: AttributionHint[] = [];
    pushHint(hints, "host", registry ? hostOf(registry) : null);
    if (m[1] === "identitytoken") {
      emit({ detector: "docker-config-identity-token", secret: value, index, end: index + value.length, hints });
      continue;
    }
    const decoded = b64decode(value);
    const up = decoded ? splitUserPass(decoded) : null;
    if (!up) continue;
    pushHint(hints, "username", up[0]);
    if (isPlaceholder(up[1])) continue;
    emit({ detector: "docker-config-auth", secret: up[1], index, end: index + value.length, hints });
  }
}

function npmrc(env: Env, emit: Emit): void {
  let username: string | null = null;
  for (const [line] of lines(env.text)) {
    const um = /^\s*(?:\/\/[^\s=]*:)?username\s*=\s*(\S+)/.exec(line);
    if (um) username = um[1] ?? null;
  }
  for (const [line, off] of lines(env.text)) {
    const m = /^\s*(\/\/[^\s=]*:)?(_authToken|_auth|_password)\s*=\s*"?([^"\s]+)"?\s*$/.exec(line);
    if (!m) continue;
    const scope = m[1] ?? "";
    const key = m[2] as string;
    const value = m[3] as string;
    const index = off + line.indexOf(value, line.indexOf(key) + key.length);
    const hints: AttributionHint[] = [];
    pushHint(hints, "host", scope ? hostOf(scope.slice(2, -1)) : "registry.npmjs.org");
    if (/^\$\{?[A-Za-z_]/.test(value)) continue;
    if (key === "_authToken") {
      pushHint(hints, "username", username);
      emit({ detector: "npmrc-auth-token", secret: value, index, end: index + value.length, hints });
    } else if (key === "_auth") {
      const up = splitUserPass(b64decode(value) ?? "");
      if (!up) continue;
      pushHint(hints, "username", up[0]);
      emit({ detector: "npmrc-auth", secret: up[1], index, end: index + value.length, hints });
    } else {
      const pw = b64decode(value);
      if (!pw) continue;
      pushHint(hints, "username", username);
      emit({ detector: "npmrc-password", secret: pw, index, end: index + value.length, hints });
    }
  }
}

function gitCredentials(env: Env, emit: Emit): void {
  for (const [line, off] of lines(env.text)) {
    const m = /^\s*([a-z][a-z0-9+.-]*):\/\/([^:@\s/]*):([^@\s]+)@([^/\s:]+)/i.exec(line);
    if (!m) continue;
    const user = decodeURIComponentSafe(m[2] as string);
    const pass = m[3] as string;
    const index = off + line.indexOf(":", line.indexOf("://") + 3) + 1;
    const hints: AttributionHint[] = [];
    pushHint(hints, "host", (m[4] as string).toLowerCase());
    pushHint(hints, "username", user);
    pushHint(hints, "git_remote", `${m[1]}://${(m[4] as string).toLowerCase()}`);
    emit({ detector: "git-credentials", secret: pass, index, end: index + pass.length, hints });
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function netrc(env: Env, emit: Emit): void {
  // whitespace-separated tokens, entries may span lines
  const t = env.text.slice(0, 1 << 20);
  const toks: [string, number][] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null && toks.length < 100000) toks.push([m[0], m.index]);
  let machine: string | null = null;
  let login: string | null = null;
  for (let i = 0; i < toks.length; i++) {
    const [w] = toks[i] as [string, number];
    const next = toks[i + 1];
    if (w === "machine" && next) {
      machine = next[0];
      login = null;
      i++;
    } else if (w === "default") {
      machine = null;
      login = null;
    } else if (w === "login" && next) {
      login = next[0];
      i++;
    } else if (w === "password" && next) {
      const hints: AttributionHint[] = [];
      pushHint(hints, "host", machine?.toLowerCase());
      pushHint(hints, "username", login);
      emit({ detector: "netrc-password", secret: next[0], index: next[1], end: next[1] + next[0].length, hints });
      i++;
    }
  }
}

function pypirc(env: Env, emit: Emit): void {
  let repo: string | null = null;
  let user: string | null = null;
  const pending: { value: string; index: number }[] = [];
  const flush = () => {
    for (const p of pending) {
      const hints: AttributionHint[] = [];
      pushHint(hints, "host", repo ? hostOf(repo) : "upload.pypi.org");
      pushHint(hints, "username", user);
      emit({ detector: "pypirc-password", secret: p.value, index: p.index, end: p.index + p.value.length, hints });
    }
    pending.length = 0;
    repo = null;
    user = null;
  };
  for (const [line, off] of lines(env.text)) {
    if (/^\s*\[/.test(line)) flush();
    const m = /^\s*(repository|username|password)\s*[:=]\s*(\S.*?)\s*$/.exec(line);
    if (!m) continue;
    const v = m[2] as string;
    if (m[1] === "repository") repo = v;
    else if (m[1] === "username") user = v;
    else pending.push({ value: v, index: off + line.lastIndexOf(v) });
  }
  flush();
}

function awsCredentials(env: Env, emit: Emit): void {
  let profile: string | null = null;
  let keyId: string | null = null;
  const pending: { detector: string; value: string; index: number }[] = [];
  const flush = () => {
    for (const p of pending) {
      const hints: AttributionHint[] = [];
      pushHint(hints, "username", profile);
      emit({ detector: p.detector, secret: p.value, index: p.index, end: p.index + p.value.length, hints });
    }
    pending.length = 0;
    keyId = null;
  };
  for (const [line, off] of lines(env.text)) {
    const sec = /^\s*\[\s*(?:profile\s+)?([^\]]+?)\s*\]/.exec(line);
    if (sec) {
      flush();
      profile = sec[1] ?? null;
      continue;
    }
    const m = /^\s*(aws_access_key_id|aws_secret_access_key|aws_session_token)\s*=\s*(\S+)\s*$/i.exec(line);
    if (!m) continue;
    const k = (m[1] as string).toLowerCase();
    const v = m[2] as string;
    const index = off + line.lastIndexOf(v);
    if (k === "aws_access_key_id") keyId = v;
    else if (k === "aws_secret_access_key") pending.push({ detector: "aws-access-key", value: v, index });
    else pending.push({ detector: "aws-session-token", value: v, index });
  }
  void keyId;
  flush();
}

function kubeconfig(env: Env, emit: Emit): void {
  let server: string | null = null;
  let user: string | null = null;
  for (const [line] of lines(env.text)) {
    const s = /^\s*server:\s*"?([^"\s]+)/.exec(line);
    if (s && !server) server = s[1] ?? null;
  }
  for (const [line, off] of lines(env.text)) {
    const nm = /^\s*-\s*name:\s*"?([^"\s]+)/.exec(line);
    if (nm) user = nm[1] ?? null;
    const m = /^\s*(token|client-key-data|password):\s*"?([^"\s]+)"?\s*$/.exec(line);
    if (!m) continue;
    const key = m[1] as string;
    const value = m[2] as string;
    const index = off + line.lastIndexOf(value);
    const hints: AttributionHint[] = [];
    pushHint(hints, "host", server ? hostOf(server) : null);
    pushHint(hints, "username", user);
    if (key === "token") emit({ detector: "kubeconfig-token", secret: value, index, end: index + value.length, hints });
    else if (key === "password") emit({ detector: "kubeconfig-password", secret: value, index, end: index + value.length, hints });
    else {
      const pem = b64decode(value);
      if (!pem) continue;
      const b = pem.indexOf("-----BEGIN ");
      const em = /-----END [A-Z ]{0,30}PRIVATE KEY-----/.exec(pem);
      if (b < 0 || !em) continue;
      emit({ detector: "kubeconfig-client-key", secret: pem.slice(b, em.index + em[0].length), index, end: index + value.length, hints });
    }
  }
}
