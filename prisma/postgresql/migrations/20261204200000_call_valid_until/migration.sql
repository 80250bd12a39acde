-- AlterTable
ALTER TABLE "Call" ADD COLUMN     "validUntil" TIMESTAMP(3);
