-- CreateTable
CREATE TABLE "FindingRollup" (
    "orgId" TEXT NOT NULL,
    "status" "FindingStatus" NOT NULL,
    "severity" "Severity" NOT NULL,
    "provider" TEXT NOT NULL,
    "detector" TEXT NOT NULL,
    "liveness" TEXT NOT NULL,
    "deletedOnly" BOOLEAN NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "FindingRollup_pkey" PRIMARY KEY ("orgId","status","severity","provider","detector","liveness","deletedOnly")
);

-- CreateTable
CREATE TABLE "FindingDaily" (
    "orgId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "kind" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,
    "hours" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "FindingDaily_pkey" PRIMARY KEY ("orgId","day","kind")
);

-- CreateIndex
CREATE INDEX "Finding_orgId_severity_lastSeenAt_id_idx" ON "Finding"("orgId", "severity", "lastSeenAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Finding_orgId_status_severity_lastSeenAt_id_idx" ON "Finding"("orgId", "status", "severity", "lastSeenAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Finding_orgId_lastSeenAt_id_idx" ON "Finding"("orgId", "lastSeenAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Finding_orgId_firstSeenAt_id_idx" ON "Finding"("orgId", "firstSeenAt", "id");

-- CreateIndex
CREATE INDEX "Finding_orgId_resolvedAt_idx" ON "Finding"("orgId", "resolvedAt");


-- Rollups kept exact by statement-level triggers (transition tables: one aggregated upsert per
-- statement, so bulk scans and bulk triage cost one pass). Hand-written: Prisma does not model
-- triggers; `prisma migrate diff` ignores them.
CREATE FUNCTION "stowaway_finding_rollup"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO "FindingRollup" AS r ("orgId", "status", "severity", "provider", "detector", "liveness", "deletedOnly", "n")
      SELECT "orgId", "status", "severity", "provider", "detector", "liveness", "deletedOnly", -count(*)::int
      FROM old_rows GROUP BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ("orgId", "status", "severity", "provider", "detector", "liveness", "deletedOnly")
      DO UPDATE SET "n" = r."n" + EXCLUDED."n";
    INSERT INTO "FindingDaily" AS d ("orgId", "day", "kind", "n", "hours")
      SELECT "orgId", "day", "kind", -count(*)::int, -coalesce(sum("h"), 0)
      FROM (
        SELECT "orgId", "firstSeenAt"::date AS "day", 'first_seen' AS "kind", 0::float8 AS "h" FROM old_rows
        UNION ALL
        SELECT "orgId", "resolvedAt"::date, 'resolved:' || "status"::text,
               greatest(0, extract(epoch FROM ("resolvedAt" - "firstSeenAt")) / 3600)::float8
        FROM old_rows WHERE "resolvedAt" IS NOT NULL AND "status" <> 'open'
      ) e GROUP BY 1, 2, 3
    ON CONFLICT ("orgId", "day", "kind") DO UPDATE SET "n" = d."n" + EXCLUDED."n", "hours" = d."hours" + EXCLUDED."hours";
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO "FindingRollup" AS r ("orgId", "status", "severity", "provider", "detector", "liveness", "deletedOnly", "n")
      SELECT "orgId", "status", "severity", "provider", "detector", "liveness", "deletedOnly", count(*)::int
      FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ("orgId", "status", "severity", "provider", "detector", "liveness", "deletedOnly")
      DO UPDATE SET "n" = r."n" + EXCLUDED."n";
    INSERT INTO "FindingDaily" AS d ("orgId", "day", "kind", "n", "hours")
      SELECT "orgId", "day", "kind", count(*)::int, coalesce(sum("h"), 0)
      FROM (
        SELECT "orgId", "firstSeenAt"::date AS "day", 'first_seen' AS "kind", 0::float8 AS "h" FROM new_rows
        UNION ALL
        SELECT "orgId", "resolvedAt"::date, 'resolved:' || "status"::text,
               greatest(0, extract(epoch FROM ("resolvedAt" - "firstSeenAt")) / 3600)::float8
        FROM new_rows WHERE "resolvedAt" IS NOT NULL AND "status" <> 'open'
      ) e GROUP BY 1, 2, 3
    ON CONFLICT ("orgId", "day", "kind") DO UPDATE SET "n" = d."n" + EXCLUDED."n", "hours" = d."hours" + EXCLUDED."hours";
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER "Finding_rollup_insert" AFTER INSERT ON "Finding"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "stowaway_finding_rollup"();
CREATE TRIGGER "Finding_rollup_update" AFTER UPDATE ON "Finding"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "stowaway_finding_rollup"();
CREATE TRIGGER "Finding_rollup_delete" AFTER DELETE ON "Finding"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "stowaway_finding_rollup"();

-- Backfill from the findings that exist already.
INSERT INTO "FindingRollup" ("orgId", "status", "severity", "provider", "detector", "liveness", "deletedOnly", "n")
  SELECT "orgId", "status", "severity", "provider", "detector", "liveness", "deletedOnly", count(*)::int
  FROM "Finding" GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO "FindingDaily" ("orgId", "day", "kind", "n", "hours")
  SELECT "orgId", "day", "kind", count(*)::int, coalesce(sum("h"), 0)
  FROM (
    SELECT "orgId", "firstSeenAt"::date AS "day", 'first_seen' AS "kind", 0::float8 AS "h" FROM "Finding"
    UNION ALL
    SELECT "orgId", "resolvedAt"::date, 'resolved:' || "status"::text,
           greatest(0, extract(epoch FROM ("resolvedAt" - "firstSeenAt")) / 3600)::float8
    FROM "Finding" WHERE "resolvedAt" IS NOT NULL AND "status" <> 'open'
  ) e GROUP BY 1, 2, 3;
