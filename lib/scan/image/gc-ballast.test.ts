import v8 from "node:v8";
import { describe, expect, it } from "vitest";
import { gcBallastBytes, holdGcBallast } from "./gc-ballast";

const MiB = 1024 * 1024;
/** bytes in V8's large-object spaces, where a block this size lives */
const largeObjects = () =>
  v8
    .getHeapSpaceStatistics()
    .filter((s) => s.space_name.endsWith("large_object_space"))
    .reduce((a, s) => a + s.space_used_size, 0);

describe("holdGcBallast", () => {
  it("holds 8 MiB inside V8's heap (counted by its GC limits, unlike a typed array's bytes) and only once", () => {
    expect(gcBallastBytes()).toBe(0);
    const before = largeObjects();
    const external = v8.getHeapStatistics().external_memory;
    holdGcBallast();
    expect(gcBallastBytes()).toBe(8 * MiB);
    expect(largeObjects() - before).toBeGreaterThanOrEqual(8 * MiB);
    expect(v8.getHeapStatistics().external_memory - external).toBeLessThan(MiB);
    const held = largeObjects();
    holdGcBallast();
    expect(largeObjects() - held).toBeLessThan(MiB);
  });
});
