-- AlterTable
ALTER TABLE "WakeUp" ADD COLUMN "toleranceMinutes" INTEGER;

-- AlterTable
ALTER TABLE "WakeUpOccurrence" ADD COLUMN "alertAckAt" DATETIME;
ALTER TABLE "WakeUpOccurrence" ADD COLUMN "alertAckBy" TEXT;
