-- AlterTable
ALTER TABLE "Target" ADD COLUMN     "verifiedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Milestone" ADD COLUMN     "verifiedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "NegativeListEntry" ADD COLUMN     "notifiedAt" TIMESTAMP(3),
ADD COLUMN     "seq" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "verificationId" INTEGER;

-- Entries already stored are numbered within their list in the order they were created (1, 2, 3 …).
UPDATE "NegativeListEntry" AS "e" SET "seq" = "n"."seq"
FROM (SELECT "id", ROW_NUMBER() OVER (PARTITION BY "listId" ORDER BY "id") AS "seq" FROM "NegativeListEntry") AS "n"
WHERE "n"."id" = "e"."id";

-- CreateIndex
CREATE UNIQUE INDEX "NegativeListEntry_listId_seq_key" ON "NegativeListEntry"("listId", "seq");

-- AddForeignKey
ALTER TABLE "NegativeListEntry" ADD CONSTRAINT "NegativeListEntry_verificationId_fkey" FOREIGN KEY ("verificationId") REFERENCES "Verification"("id") ON DELETE SET NULL ON UPDATE CASCADE;

