-- AlterTable
ALTER TABLE "WakeUpOccurrence" ADD COLUMN     "outcome" TEXT,
ADD COLUMN     "retries" INTEGER NOT NULL DEFAULT 0;
