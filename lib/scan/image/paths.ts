// Layer paths are untrusted. Nothing is ever written to disk, so a hostile path cannot escape
// anything, but it can confuse whiteout tracking: normalise to a rootless, "."/".."-free form
// (".." is clamped at the root, as a container runtime would) and flag what was odd.

export interface NormalisedPath {
  /** "etc/passwd"; "" for the root */
  path: string;
  absolute: boolean;
  /** a ".." tried to climb above the root */
  escaped: boolean;
}

export function normaliseLayerPath(raw: string): NormalisedPath {
  // fast path for the usual "usr/share/x" or "etc/": no empty, "." or ".." segment anywhere
  // (a split per entry showed up in profiles of layers with 50k+ files)
  if (
    raw.length > 0 &&
    raw.charCodeAt(0) !== 47 &&
    raw.charCodeAt(0) !== 46 &&
    !raw.includes("//") &&
    !raw.includes("/.")
  ) {
    return { path: raw.endsWith("/") ? raw.slice(0, -1) : raw, absolute: false, escaped: false };
  }
  const absolute = raw.startsWith("/");
  let escaped = false;
  const out: string[] = [];
  for (const seg of raw.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length === 0) escaped = true;
      else out.pop();
      continue;
    }
    out.push(seg);
  }
  return { path: out.join("/"), absolute, escaped };
}

export function parentDir(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

export function baseName(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? path : path.slice(i + 1);
}

/** true when `path` is `dir` itself or inside it ("" = root contains everything) */
export function isWithin(path: string, dir: string): boolean {
  if (dir === "") return true;
  return path === dir || (path.length > dir.length && path.startsWith(dir) && path.charCodeAt(dir.length) === 47);
}
