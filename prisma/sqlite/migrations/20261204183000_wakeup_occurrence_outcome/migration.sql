-- AlterTable
ALTER TABLE "WakeUpOccurrence" ADD COLUMN "outcome" TEXT;
ALTER TABLE "WakeUpOccurrence" ADD COLUMN "retries" INTEGER NOT NULL DEFAULT 0;
