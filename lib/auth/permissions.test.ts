import { describe, expect, it } from "vitest";
import { can, PERMISSIONS, ROLES, type Permission } from "./permissions";

// The expected matrix, written independently of the implementation's table.
const EXPECTED: Record<string, Permission[]> = {
  viewer: ["org.read", "identity.read", "accounts.read", "findings.read", "jobs.read"],
  analyst: ["org.read", "identity.read", "accounts.read", "accounts.triage", "findings.read", "findings.triage", "comments.write", "jobs.read", "jobs.run"],
};

describe("permission matrix", () => {
  it("owners can do everything; only owners delete the organisation", () => {
    for (const p of Object.keys(PERMISSIONS) as Permission[]) expect(can("owner", p), p).toBe(true);
    expect(can("admin", "org.delete")).toBe(false);
  });
  it("viewer and analyst have exactly the expected permissions", () => {
    for (const role of ["viewer", "analyst"] as const) {
      const granted = (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(role, p)).sort();
      expect(granted).toEqual([...EXPECTED[role]!].sort());
    }
  });
  it("only owners and admins manage settings, members, identity and audit", () => {
    for (const p of ["settings.read", "identity.write", "members.read", "members.manage", "audit.read"] as Permission[]) {
      expect(ROLES.filter((r) => can(r, p))).toEqual(["owner", "admin"]);
    }
  });
  it("fails closed for unknown permissions", () => {
    expect(() => can("owner", "nope" as Permission)).toThrow();
  });
});
