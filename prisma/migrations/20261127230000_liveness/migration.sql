-- AlterTable
ALTER TABLE "Finding" ADD COLUMN     "livenessCheckedAt" TIMESTAMP(3),
ADD COLUMN     "livenessReason" TEXT;

-- CreateTable
CREATE TABLE "SealedSecret" (
    "id" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "detector" TEXT NOT NULL,
    "keyVersion" TEXT NOT NULL,
    "iv" TEXT NOT NULL,
    "authTag" TEXT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SealedSecret_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SealedSecret_fingerprint_idx" ON "SealedSecret"("fingerprint");

-- CreateIndex
CREATE UNIQUE INDEX "SealedSecret_digest_fingerprint_key" ON "SealedSecret"("digest", "fingerprint");

