-- CreateIndex
CREATE INDEX "Finding_orgId_assigneeId_severity_lastSeenAt_id_idx" ON "Finding"("orgId", "assigneeId", "severity", "lastSeenAt" DESC, "id");

