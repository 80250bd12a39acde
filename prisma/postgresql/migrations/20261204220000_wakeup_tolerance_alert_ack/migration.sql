-- AlterTable
ALTER TABLE "WakeUp" ADD COLUMN     "toleranceMinutes" INTEGER;

-- AlterTable
ALTER TABLE "WakeUpOccurrence" ADD COLUMN     "alertAckAt" TIMESTAMP(3),
ADD COLUMN     "alertAckBy" TEXT;
