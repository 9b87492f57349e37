-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('owner', 'admin', 'analyst', 'viewer');

-- CreateEnum
CREATE TYPE "IdentityKind" AS ENUM ('domain', 'email_pattern', 'known_name', 'sanctioned_namespace', 'exclusion', 'cloud_account_id');

-- CreateEnum
CREATE TYPE "AccountStatus" AS ENUM ('candidate', 'review', 'likely', 'confirmed', 'dismissed', 'sanctioned', 'offboarding', 'offboarded');

-- CreateEnum
CREATE TYPE "FindingStatus" AS ENUM ('open', 'revoked', 'false_positive', 'accepted_risk');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('critical', 'high', 'medium', 'low');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "passwordHash" TEXT,
    "failedLogins" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuthAccount" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuthAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Organization" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Invite" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "email" TEXT,
    "createdById" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "usedById" TEXT,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invite_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdentityItem" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "kind" "IdentityKind" NOT NULL,
    "value" TEXT NOT NULL,
    "normalized" TEXT NOT NULL,
    "category" TEXT,
    "notes" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdentityItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "actorId" TEXT,
    "actorEmail" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HubAccount" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "accountType" TEXT NOT NULL DEFAULT 'unknown',
    "status" "AccountStatus" NOT NULL DEFAULT 'candidate',
    "confidence" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "evidence" JSONB NOT NULL DEFAULT '[]',
    "profile" JSONB NOT NULL DEFAULT '{}',
    "dismissReason" TEXT,
    "claimedAt" TIMESTAMP(3),
    "pullCount" BIGINT NOT NULL DEFAULT 0,
    "repoCount" INTEGER NOT NULL DEFAULT 0,
    "lastPushAt" TIMESTAMP(3),
    "risk" INTEGER NOT NULL DEFAULT 0,
    "riskParts" JSONB NOT NULL DEFAULT '{}',
    "discoveredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastDiscoveredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastScannedAt" TIMESTAMP(3),
    "scanState" TEXT NOT NULL DEFAULT 'never',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HubAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DomainAuditEntry" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "dateJoined" TIMESTAMP(3),
    "importedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DomainAuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HubRepository" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "pullCount" BIGINT NOT NULL DEFAULT 0,
    "isPrivate" BOOLEAN NOT NULL DEFAULT false,
    "lastUpdated" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HubRepository_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HubImage" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "repositoryId" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "digest" TEXT,
    "pushedAt" TIMESTAMP(3),
    "scanState" TEXT NOT NULL DEFAULT 'pending',
    "scanError" TEXT,
    "lastScannedAt" TIMESTAMP(3),
    "isLatest" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HubImage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImageScan" (
    "id" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "imageRef" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "result" JSONB NOT NULL,
    "error" TEXT,
    "scannedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImageScan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Finding" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "detector" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "masked" TEXT NOT NULL,
    "status" "FindingStatus" NOT NULL DEFAULT 'open',
    "statusReason" TEXT,
    "assigneeId" TEXT,
    "liveness" TEXT NOT NULL DEFAULT 'unknown',
    "inLatest" BOOLEAN NOT NULL DEFAULT false,
    "deletedOnly" BOOLEAN NOT NULL DEFAULT false,
    "locationCount" INTEGER NOT NULL DEFAULT 0,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FindingLocation" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "findingId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "repository" TEXT NOT NULL,
    "tag" TEXT,
    "imageDigest" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "layerDigest" TEXT,
    "source" TEXT NOT NULL,
    "path" TEXT,
    "line" INTEGER,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "locationKey" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FindingLocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Comment" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Comment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OffboardingCase" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "ownerId" TEXT,
    "dueDate" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'open',
    "checklist" JSONB NOT NULL DEFAULT '[]',
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "OffboardingCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PostureSnapshot" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "score" INTEGER NOT NULL,
    "openCritical" INTEGER NOT NULL,
    "openFindings" INTEGER NOT NULL,
    "liveSecrets" INTEGER NOT NULL,
    "shadowAccounts" INTEGER NOT NULL,
    "mttrHours" DOUBLE PRECISION,
    "parts" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PostureSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobRun" (
    "id" TEXT NOT NULL,
    "orgId" TEXT,
    "functionId" TEXT NOT NULL,
    "eventName" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 4,
    "runAfter" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMP(3),
    "concurrencyKey" TEXT,
    "progress" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "parentRunId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobStep" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "output" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobEvent" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "orgId" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "AuthAccount_userId_idx" ON "AuthAccount"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "AuthAccount_provider_providerAccountId_key" ON "AuthAccount"("provider", "providerAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "Organization_slug_key" ON "Organization"("slug");

-- CreateIndex
CREATE INDEX "Membership_userId_idx" ON "Membership"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_orgId_userId_key" ON "Membership"("orgId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Invite_tokenHash_key" ON "Invite"("tokenHash");

-- CreateIndex
CREATE INDEX "Invite_orgId_createdAt_idx" ON "Invite"("orgId", "createdAt");

-- CreateIndex
CREATE INDEX "IdentityItem_orgId_kind_idx" ON "IdentityItem"("orgId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "IdentityItem_orgId_kind_normalized_key" ON "IdentityItem"("orgId", "kind", "normalized");

-- CreateIndex
CREATE INDEX "AuditLog_orgId_createdAt_idx" ON "AuditLog"("orgId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_orgId_targetType_targetId_idx" ON "AuditLog"("orgId", "targetType", "targetId");

-- CreateIndex
CREATE INDEX "HubAccount_orgId_status_risk_idx" ON "HubAccount"("orgId", "status", "risk");

-- CreateIndex
CREATE INDEX "HubAccount_orgId_risk_idx" ON "HubAccount"("orgId", "risk");

-- CreateIndex
CREATE INDEX "HubAccount_orgId_confidence_idx" ON "HubAccount"("orgId", "confidence");

-- CreateIndex
CREATE UNIQUE INDEX "HubAccount_orgId_namespace_key" ON "HubAccount"("orgId", "namespace");

-- CreateIndex
CREATE INDEX "DomainAuditEntry_orgId_idx" ON "DomainAuditEntry"("orgId");

-- CreateIndex
CREATE UNIQUE INDEX "DomainAuditEntry_orgId_username_key" ON "DomainAuditEntry"("orgId", "username");

-- CreateIndex
CREATE INDEX "HubRepository_orgId_accountId_idx" ON "HubRepository"("orgId", "accountId");

-- CreateIndex
CREATE UNIQUE INDEX "HubRepository_orgId_accountId_name_key" ON "HubRepository"("orgId", "accountId", "name");

-- CreateIndex
CREATE INDEX "HubImage_orgId_digest_idx" ON "HubImage"("orgId", "digest");

-- CreateIndex
CREATE UNIQUE INDEX "HubImage_orgId_repositoryId_tag_key" ON "HubImage"("orgId", "repositoryId", "tag");

-- CreateIndex
CREATE UNIQUE INDEX "ImageScan_digest_key" ON "ImageScan"("digest");

-- CreateIndex
CREATE INDEX "Finding_orgId_status_severity_idx" ON "Finding"("orgId", "status", "severity");

-- CreateIndex
CREATE INDEX "Finding_orgId_accountId_idx" ON "Finding"("orgId", "accountId");

-- CreateIndex
CREATE INDEX "Finding_orgId_detector_idx" ON "Finding"("orgId", "detector");

-- CreateIndex
CREATE INDEX "Finding_orgId_assigneeId_idx" ON "Finding"("orgId", "assigneeId");

-- CreateIndex
CREATE UNIQUE INDEX "Finding_orgId_fingerprint_key" ON "Finding"("orgId", "fingerprint");

-- CreateIndex
CREATE INDEX "FindingLocation_orgId_accountId_idx" ON "FindingLocation"("orgId", "accountId");

-- CreateIndex
CREATE INDEX "FindingLocation_orgId_imageDigest_idx" ON "FindingLocation"("orgId", "imageDigest");

-- CreateIndex
CREATE UNIQUE INDEX "FindingLocation_orgId_findingId_locationKey_key" ON "FindingLocation"("orgId", "findingId", "locationKey");

-- CreateIndex
CREATE INDEX "Comment_orgId_targetType_targetId_idx" ON "Comment"("orgId", "targetType", "targetId");

-- CreateIndex
CREATE INDEX "OffboardingCase_orgId_accountId_idx" ON "OffboardingCase"("orgId", "accountId");

-- CreateIndex
CREATE INDEX "OffboardingCase_orgId_status_idx" ON "OffboardingCase"("orgId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "PostureSnapshot_orgId_day_key" ON "PostureSnapshot"("orgId", "day");

-- CreateIndex
CREATE INDEX "JobRun_status_runAfter_idx" ON "JobRun"("status", "runAfter");

-- CreateIndex
CREATE INDEX "JobRun_orgId_createdAt_idx" ON "JobRun"("orgId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "JobRun_functionId_eventId_key" ON "JobRun"("functionId", "eventId");

-- CreateIndex
CREATE UNIQUE INDEX "JobStep_runId_stepId_key" ON "JobStep"("runId", "stepId");

-- CreateIndex
CREATE UNIQUE INDEX "JobEvent_eventId_key" ON "JobEvent"("eventId");

-- AddForeignKey
ALTER TABLE "AuthAccount" ADD CONSTRAINT "AuthAccount_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invite" ADD CONSTRAINT "Invite_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IdentityItem" ADD CONSTRAINT "IdentityItem_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubAccount" ADD CONSTRAINT "HubAccount_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubRepository" ADD CONSTRAINT "HubRepository_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "HubAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubImage" ADD CONSTRAINT "HubImage_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "HubRepository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FindingLocation" ADD CONSTRAINT "FindingLocation_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JobStep" ADD CONSTRAINT "JobStep_runId_fkey" FOREIGN KEY ("runId") REFERENCES "JobRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

