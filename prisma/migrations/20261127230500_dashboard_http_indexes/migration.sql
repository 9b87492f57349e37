-- CreateIndex
CREATE INDEX "JobRun_orgId_parentRunId_idx" ON "JobRun"("orgId", "parentRunId");


-- An account's runs (the account page polls them for scan progress). Hand-written: Prisma does
-- not model expression indexes. lib/jobs/runs.ts filters on exactly this expression.
CREATE INDEX "JobRun_orgId_accountId_createdAt_idx" ON "JobRun"("orgId", ("payload" ->> 'accountId'), "createdAt" DESC);
