-- DropIndex
DROP INDEX "Call_kind_createdAt_idx";

-- DropIndex
DROP INDEX "Call_createdAt_idx";

-- CreateTable
CREATE TABLE "CampaignContact" (
    "campaignId" TEXT NOT NULL,
    "contactId" TEXT NOT NULL,

    CONSTRAINT "CampaignContact_pkey" PRIMARY KEY ("campaignId","contactId")
);

-- CreateTable
CREATE TABLE "CampaignTarget" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "contactId" TEXT,
    "destination" TEXT NOT NULL,
    "displayName" TEXT NOT NULL DEFAULT '',
    "timeZone" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "reason" TEXT NOT NULL DEFAULT '',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAt" TIMESTAMP(3),
    "lastCallId" TEXT,
    "outcome" TEXT,
    "releasedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CampaignTarget_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CampaignTarget_campaignId_status_nextAt_idx" ON "CampaignTarget"("campaignId", "status", "nextAt");

-- CreateIndex
CREATE INDEX "CampaignTarget_status_idx" ON "CampaignTarget"("status");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignTarget_campaignId_destination_key" ON "CampaignTarget"("campaignId", "destination");

-- CreateIndex
CREATE INDEX "Call_kind_createdAt_id_idx" ON "Call"("kind", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Call_createdAt_id_idx" ON "Call"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Call_state_createdAt_id_idx" ON "Call"("state", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Call_createdById_createdAt_id_idx" ON "Call"("createdById", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Call_campaignId_createdAt_id_idx" ON "Call"("campaignId", "createdAt", "id");

-- AddForeignKey
ALTER TABLE "CampaignContact" ADD CONSTRAINT "CampaignContact_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignTarget" ADD CONSTRAINT "CampaignTarget_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

