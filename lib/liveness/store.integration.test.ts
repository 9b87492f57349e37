// Sealed values are kept only while some organisation's finding still points at them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb } from "@/tests/helpers/jobs-db";
import { purgeOrphanedSeals, saveSealedSecrets } from "./store";

const D1 = `sha256:${"1".repeat(64)}`;
const D2 = `sha256:${"2".repeat(64)}`;

describe("purgeOrphanedSeals (PGlite)", () => {
  let h: Awaited<ReturnType<typeof freshDb>>;
  beforeAll(async () => {
    h = await freshDb();
  });
  afterAll(() => h?.close());

  it("deletes day-old seals no finding location points at; keeps referenced and fresh ones", async () => {
    const db = h.prisma;
    const seal = (fingerprint: string) => ({ detector: "github-pat", fingerprint, keyVersion: "k1:x", iv: "aXY=", authTag: "dGFn", ciphertext: "Y3Q=" });
    expect(await saveSealedSecrets(db, D1, [seal("a".repeat(64)), seal("b".repeat(64))])).toBe(2);
    expect(await saveSealedSecrets(db, D2, [seal("a".repeat(64))])).toBe(1);
    expect(await saveSealedSecrets(db, D1, [seal("a".repeat(64))])).toBe(0); // idempotent
    await expect(saveSealedSecrets(db, "latest", [seal("c".repeat(64))])).rejects.toThrow(/digest/);
    const org = await db.organization.create({ data: { slug: "p", name: "P" } });
    const acc = await db.hubAccount.create({ data: { orgId: org.id, namespace: "n" } });
    const f = await db.finding.create({ data: { orgId: org.id, accountId: acc.id, detector: "github-pat", provider: "github", severity: "critical", fingerprint: "a".repeat(64), masked: "m" } });
    await db.findingLocation.create({
      data: { orgId: org.id, findingId: f.id, accountId: acc.id, repository: "n/r", imageDigest: D1, platform: "linux/amd64", source: "file", locationKey: "k" },
    });
    const now = new Date();
    // nothing is a day old yet
    expect(await purgeOrphanedSeals(db, now)).toBe(0);
    const later = new Date(now.getTime() + 25 * 3_600_000);
    expect(await purgeOrphanedSeals(db, later)).toBe(2);
    const left = await db.sealedSecret.findMany({ select: { digest: true, fingerprint: true } });
    expect(left).toEqual([{ digest: D1, fingerprint: "a".repeat(64) }]);
    // the organisation goes away: its seal follows on the next purge
    await db.organization.delete({ where: { id: org.id } });
    await db.finding.deleteMany({ where: { orgId: org.id } });
    expect(await purgeOrphanedSeals(db, later)).toBe(1);
    expect(await db.sealedSecret.count()).toBe(0);
  });
});
