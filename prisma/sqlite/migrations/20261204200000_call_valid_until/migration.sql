-- AlterTable
ALTER TABLE "Call" ADD COLUMN "validUntil" DATETIME;
