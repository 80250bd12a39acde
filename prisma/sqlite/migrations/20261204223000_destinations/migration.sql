-- Contacts and the do-not-call list hold any destination a PBX user dials (an extension, a
-- channel endpoint or an E.164 number), so the column is renamed from "e164" and the kind is
-- stored beside it. Every existing row is an external number.

-- ContactPhone: e164 -> destination, plus kind
ALTER TABLE "ContactPhone" RENAME COLUMN "e164" TO "destination";
ALTER TABLE "ContactPhone" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'external';
DROP INDEX "ContactPhone_e164_idx";
CREATE INDEX "ContactPhone_destination_idx" ON "ContactPhone"("destination");

-- DncEntry: e164 -> destination, plus kind
ALTER TABLE "DncEntry" RENAME COLUMN "e164" TO "destination";
ALTER TABLE "DncEntry" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'external';
DROP INDEX "DncEntry_e164_key";
CREATE UNIQUE INDEX "DncEntry_destination_key" ON "DncEntry"("destination");

-- AsteriskHost: how internal extensions are dialled and which ones are valid
ALTER TABLE "AsteriskHost" ADD COLUMN "internalTemplate" TEXT NOT NULL DEFAULT 'PJSIP/{ext}';
ALTER TABLE "AsteriskHost" ADD COLUMN "extensionMinDigits" INTEGER NOT NULL DEFAULT 3;
ALTER TABLE "AsteriskHost" ADD COLUMN "extensionMaxDigits" INTEGER NOT NULL DEFAULT 6;
ALTER TABLE "AsteriskHost" ADD COLUMN "allowFeatureCodes" BOOLEAN NOT NULL DEFAULT false;
