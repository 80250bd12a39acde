-- DropIndex
DROP INDEX "Contact_nameKey_idx";

-- DropIndex
DROP INDEX "Contact_createdAt_idx";

-- CreateIndex
CREATE INDEX "Contact_nameKey_id_idx" ON "Contact"("nameKey", "id");

-- CreateIndex
CREATE INDEX "Contact_createdAt_id_idx" ON "Contact"("createdAt", "id");
