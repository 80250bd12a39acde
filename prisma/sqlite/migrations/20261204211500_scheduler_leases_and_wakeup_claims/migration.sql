-- AlterTable
ALTER TABLE "WakeUpOccurrence" ADD COLUMN "claimExpiresAt" DATETIME;
ALTER TABLE "WakeUpOccurrence" ADD COLUMN "claimedBy" TEXT;

-- CreateTable
CREATE TABLE "SchedulerLease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "owner" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "heartbeatAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

