// One finding per fingerprint, with every location. Inputs already hold only fingerprint + mask.
import type { AttributionHint, FindingLocationOut, ScanFinding, Severity } from "../types";

export interface LocatedHit {
  detector: string;
  provider: string;
  severity: Severity;
  fingerprint: string;
  masked: string;
  hints: AttributionHint[];
  location: FindingLocationOut;
}

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };
const isGeneric = (d: string) => d.startsWith("generic");

function locKey(l: FindingLocationOut): string {
  return `${l.source}\0${l.path ?? ""}\0${l.line ?? ""}\0${l.layerDigest ?? ""}\0${l.platform}`;
}

/**
 * Groups hits by fingerprint. When several detectors flag the same value, the most specific wins
 * (a provider detector over the generic one, then the higher severity, then the first seen).
 * Top-level location fields describe the first location that is still present in the final
 * image (not deleted) if there is one, otherwise the first location; `deleted` at the top level
 * is therefore true only when every location is deleted.
 */
export function aggregateFindings(hits: LocatedHit[]): ScanFinding[] {
  const groups = new Map<string, { best: LocatedHit; locs: Map<string, FindingLocationOut>; hints: Map<string, AttributionHint> }>();
  for (const h of hits) {
    let g = groups.get(h.fingerprint);
    if (!g) {
      g = { best: h, locs: new Map(), hints: new Map() };
      groups.set(h.fingerprint, g);
    } else {
      const b = g.best;
      const better =
        (isGeneric(b.detector) && !isGeneric(h.detector)) ||
        (isGeneric(b.detector) === isGeneric(h.detector) && RANK[h.severity] > RANK[b.severity]);
      if (better) g.best = h;
    }
    const k = locKey(h.location);
    const prev = g.locs.get(k);
    // the same place seen twice (e.g. two detectors): deleted only if both say so
    if (!prev) g.locs.set(k, { ...h.location });
    else prev.deleted = prev.deleted && h.location.deleted;
    for (const hint of h.hints) g.hints.set(`${hint.type}\0${hint.value}`, hint);
  }
  const out: ScanFinding[] = [];
  for (const [fp, g] of groups) {
    const locations = [...g.locs.values()];
    const top = locations.find((l) => !l.deleted) ?? (locations[0] as FindingLocationOut);
    out.push({
      detector: g.best.detector,
      provider: g.best.provider,
      severity: g.best.severity,
      fingerprint: fp,
      masked: g.best.masked,
      hints: [...g.hints.values()],
      source: top.source,
      path: top.path,
      line: top.line,
      layerDigest: top.layerDigest,
      platform: top.platform,
      deleted: top.deleted,
      locations,
    });
  }
  out.sort((a, b) => RANK[b.severity] - RANK[a.severity]);
  return out;
}
