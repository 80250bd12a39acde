-- AlterTable
ALTER TABLE "PaBroadcast" ADD COLUMN "launchKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "PaBroadcast_launchKey_key" ON "PaBroadcast"("launchKey");
