// Sanity checks a generated world's ground truth before it is written: every planted secret is
// really present where the world says (so tests can rely on it), no decoy equals a planted value,
// and every account named in `expected` exists.
import type { FileEntry, World } from "../world";

function fileTexts(f: FileEntry, out: string[]): void {
  if (f.content !== undefined) out.push(f.content);
  if (f.contentBase64 !== undefined) out.push(Buffer.from(f.contentBase64, "base64").toString("utf8"));
  for (const inner of f.archive?.files ?? []) fileTexts(inner, out);
}

export function imageTexts(world: World, imageId: string): string[] {
  const img = world.images.find((i) => i.id === imageId);
  if (!img) return [];
  const out: string[] = [];
  for (const p of img.platforms) {
    out.push(...p.config.Env, ...Object.entries(p.config.Labels).map(([k, v]) => `${k}=${v}`));
    out.push((p.config.Cmd ?? []).join(" "), (p.config.Entrypoint ?? []).join(" "));
    out.push(...p.config.history.map((h) => h.created_by));
    for (const l of p.layers) {
      if (l.created_by) out.push(l.created_by);
      for (const f of l.files) fileTexts(f, out);
    }
  }
  return out;
}

export function verifyGroundTruth(world: World): void {
  const exp = world.expected;
  if (!exp) return;
  const problems: string[] = [];
  const names = new Set(world.accounts.map((a) => a.namespace));
  for (const ns of [...exp.sanctioned, ...exp.shadowAccounts, ...exp.reviewAccounts, ...exp.lookalikes]) {
    if (!names.has(ns)) problems.push(`expected account "${ns}" does not exist`);
  }
  const planted = new Set(exp.plantedSecrets.map((p) => p.value));
  for (const d of exp.decoys) if (planted.has(d.value)) problems.push(`decoy equals a planted secret (${d.why})`);
  for (const p of exp.plantedSecrets) {
    let texts: string[];
    if (p.source === "readme") {
      const r = world.repositories.find((x) => `${x.namespace}/${x.name}` === p.image.split(":")[0]);
      texts = r ? [r.full_description] : [];
    } else texts = imageTexts(world, p.image);
    if (texts.length === 0) problems.push(`planted ${p.kind} refers to unknown image/repository ${p.image}`);
    const found = texts.some((t) => {
      if (t.includes(p.value)) return true;
      // inside JSON files (GCP service-account private_key) the PEM's newlines are escaped
      if (p.kind === "gcp-service-account" && t.includes(JSON.stringify(p.value).slice(1, -1))) return true;
      if (p.kind === "docker-config-auth") {
        for (const m of t.matchAll(/"auth"\s*:\s*"([A-Za-z0-9+/=]+)"/g)) {
          if (Buffer.from(m[1]!, "base64").toString("utf8").split(":").slice(1).join(":") === p.value) return true;
        }
      }
      return false;
    });
    if (!found) problems.push(`planted ${p.kind} in ${p.image} (${p.where}) is not present in that image`);
  }
  // Discovery only sees what search and namespace listings show: every genuine account must have
  // a public repository whose "namespace/name description" carries a company handle.
  const id = world.identity;
  if (id) {
    const handles = new Set<string>();
    for (const n of [...id.knownNames, ...id.domains.map((d) => d.split(".")[0] ?? "")]) {
      for (const t of n.toLowerCase().split(/[^a-z0-9]+/)) if (t.length >= 4) handles.add(t);
    }
    for (const ns of [...exp.shadowAccounts, ...exp.reviewAccounts]) {
      const reachable = world.repositories.some(
        (r) => r.namespace === ns && !r.is_private && [...handles].some((h) => `${r.namespace}/${r.name} ${r.description}`.toLowerCase().includes(h)),
      );
      if (!reachable) problems.push(`genuine account "${ns}" cannot be reached by searching for ${[...handles].join("/")}`);
    }
  }
  if (problems.length) throw new Error(`world ground truth is inconsistent:\n  ${problems.join("\n  ")}`);
}
