import { describe, expect, it } from "vitest";
import { requireOrgId, scoped } from "./scope";

describe("tenant scope", () => {
  it("adds the organisation to a filter", () => {
    expect(scoped({ orgId: "o1" }, { id: "x" })).toEqual({ id: "x", orgId: "o1" });
  });
  it("cannot be overridden by the caller's filter", () => {
    expect(scoped({ orgId: "o1" }, { orgId: "o2" } as { orgId: string })).toEqual({ orgId: "o1" });
  });
  it.each([undefined, null, { orgId: "" }, { orgId: undefined }])("fails closed on %j", (s) => {
    expect(() => requireOrgId(s as never)).toThrow(/tenant scope missing/);
  });
});
