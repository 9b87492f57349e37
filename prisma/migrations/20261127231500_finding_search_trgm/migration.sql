-- Findings text search (?q= on the findings list: detector or provider, case-insensitive, or the
-- masked preview) matched every finding of the organisation one by one. Trigram GIN indexes let
-- PostgreSQL answer `ILIKE '%…%'` / `LIKE '%…%'` from the index (three or more characters).
-- Hand-written: Prisma does not model operator-class GIN indexes. pg_trgm is a trusted contrib
-- extension (PostgreSQL 13+); the embedded database loads it in lib/db/client.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "Finding_detector_trgm_idx" ON "Finding" USING gin ("detector" gin_trgm_ops);
CREATE INDEX "Finding_provider_trgm_idx" ON "Finding" USING gin ("provider" gin_trgm_ops);
CREATE INDEX "Finding_masked_trgm_idx" ON "Finding" USING gin ("masked" gin_trgm_ops);
