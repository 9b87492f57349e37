// Union-filesystem bookkeeping across the layers of one platform, restricted to the files that
// held a secret: a later layer's whiteout (`.wh.<name>`), opaque marker (`.wh..wh..opq`) or
// entry at the same path (overwrite; also a file replacing a directory or the reverse) hides the
// earlier file. The blob still ships it, so the finding stays, marked deleted.
import { baseName, isWithin, parentDir } from "./paths";

export interface FileRecord {
  /** normalised path of the top-level file in the layer (a nested archive's own path) */
  fsPath: string;
  layerIndex: number;
  deleted: boolean;
}

const WH = ".wh.";
const OPQ = ".wh..wh..opq";

export class LayerHistory {
  private live: FileRecord[] = [];
  private byPath = new Map<string, FileRecord[]>();
  /** every ancestor directory of a live record, to spot "file replaces directory" in O(1) */
  private ancestors = new Map<string, number>();
  private layer = 0;

  beginLayer(index: number): void {
    this.layer = index;
  }

  get hasLive(): boolean {
    return this.live.length > 0;
  }

  add(fsPath: string, layerIndex: number): FileRecord {
    const existing = this.byPath.get(fsPath)?.find((r) => r.layerIndex === layerIndex && !r.deleted);
    if (existing) return existing;
    const rec: FileRecord = { fsPath, layerIndex, deleted: false };
    this.live.push(rec);
    const list = this.byPath.get(fsPath);
    if (list) list.push(rec);
    else this.byPath.set(fsPath, [rec]);
    for (let d = parentDir(fsPath); ; d = parentDir(d)) {
      this.ancestors.set(d, (this.ancestors.get(d) ?? 0) + 1);
      if (d === "") break;
    }
    return rec;
  }

  /** A top-level entry of the current layer (normalised path). */
  onEntry(path: string, isDirectory: boolean): void {
    if (this.live.length === 0 || path === "") return;
    // whiteouts are rare: test the base name in place before slicing it out (runs per entry)
    if (path.startsWith(WH, path.lastIndexOf("/") + 1)) {
      const base = baseName(path);
      if (base === OPQ) {
        const dir = parentDir(path);
        this.hide((r) => r.fsPath !== dir && isWithin(r.fsPath, dir));
      } else {
        const dir = parentDir(path);
        const target = (dir ? `${dir}/` : "") + base.slice(WH.length);
        this.hide((r) => isWithin(r.fsPath, target));
      }
      return;
    }
    if (this.byPath.has(path)) this.hide((r) => r.fsPath === path);
    // a non-directory replacing a directory hides everything below it
    if (!isDirectory && this.ancestors.has(path)) this.hide((r) => isWithin(r.fsPath, path));
  }

  private hide(pred: (r: FileRecord) => boolean): void {
    const keep: FileRecord[] = [];
    for (const r of this.live) {
      if (r.layerIndex < this.layer && pred(r)) this.remove(r);
      else keep.push(r);
    }
    this.live = keep;
  }

  private remove(r: FileRecord): void {
    r.deleted = true;
    const list = this.byPath.get(r.fsPath);
    if (list) {
      const rest = list.filter((x) => x !== r);
      if (rest.length) this.byPath.set(r.fsPath, rest);
      else this.byPath.delete(r.fsPath);
    }
    for (let d = parentDir(r.fsPath); ; d = parentDir(d)) {
      const n = (this.ancestors.get(d) ?? 1) - 1;
      if (n <= 0) this.ancestors.delete(d);
      else this.ancestors.set(d, n);
      if (d === "") break;
    }
  }
}
