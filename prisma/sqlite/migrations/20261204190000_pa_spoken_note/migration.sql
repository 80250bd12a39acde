-- AlterTable
ALTER TABLE "PaBroadcast" ADD COLUMN "spokenNote" TEXT;
