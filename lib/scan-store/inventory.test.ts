import { describe, expect, it } from "vitest";
import type { HubTag } from "@/lib/hub/types";
import { selectTags } from "./inventory";
import { locationKey } from "./index";

const tag = (name: string, pushed: string | null): HubTag => ({ name, digest: null, mediaType: null, fullSize: null, lastPushed: pushed, lastUpdated: pushed, images: [] });

describe("selectTags", () => {
  const tags = [tag("1.0", "2025-01-01T00:00:00Z"), tag("latest", "2024-06-01T00:00:00Z"), tag("1.2", "2025-03-01T00:00:00Z"), tag("1.1", "2025-02-01T00:00:00Z"), tag("0.9", null)];
  it("takes latest plus the N most recently pushed others", () => {
    const picked = selectTags(tags, 2);
    expect(picked.map((p) => [p.tag.name, p.isLatest])).toEqual([
      ["latest", true],
      ["1.2", false],
      ["1.1", false],
    ]);
  });
  it("without a latest tag, the newest tag stands in for it", () => {
    const picked = selectTags(tags.filter((t) => t.name !== "latest"), 1);
    expect(picked.map((p) => [p.tag.name, p.isLatest])).toEqual([
      ["1.2", true],
      ["1.1", false],
    ]);
  });
  it("N = 0 scans only latest; no tags → nothing", () => {
    expect(selectTags(tags, 0).map((p) => p.tag.name)).toEqual(["latest"]);
    expect(selectTags([], 3)).toEqual([]);
  });
});

describe("locationKey", () => {
  const target = { accountId: "a1", repository: "ns/app", tag: "latest", digest: `sha256:${"1".repeat(64)}` };
  const loc = { source: "file" as const, path: "app/.env", line: 3, layerDigest: `sha256:${"2".repeat(64)}`, platform: "linux/amd64", deleted: false };
  it("is stable and changes with any location field", () => {
    expect(locationKey(target, loc)).toBe(locationKey({ ...target }, { ...loc }));
    expect(locationKey(target, loc)).toMatch(/^[0-9a-f]{64}$/);
    const variants = [
      locationKey({ ...target, tag: "1.0" }, loc),
      locationKey(target, { ...loc, line: 4 }),
      locationKey(target, { ...loc, deleted: true }),
      locationKey(target, { ...loc, platform: "linux/arm64" }),
      locationKey(target, { ...loc, path: "app/.env.bak" }),
    ];
    expect(new Set([locationKey(target, loc), ...variants]).size).toBe(6);
  });
});
