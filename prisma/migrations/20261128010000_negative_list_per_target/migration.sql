-- AlterTable
ALTER TABLE "Target" ADD COLUMN "verifiedAt" DATETIME;

-- AlterTable
ALTER TABLE "Milestone" ADD COLUMN "verifiedAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_NegativeListEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "listId" INTEGER NOT NULL,
    "targetId" INTEGER NOT NULL,
    "milestoneId" INTEGER,
    "points" REAL NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "withdrawnAt" DATETIME,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "verificationId" INTEGER,
    "notifiedAt" DATETIME,
    CONSTRAINT "NegativeListEntry_listId_fkey" FOREIGN KEY ("listId") REFERENCES "NegativeList" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "NegativeListEntry_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "Target" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "NegativeListEntry_milestoneId_fkey" FOREIGN KEY ("milestoneId") REFERENCES "Milestone" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "NegativeListEntry_verificationId_fkey" FOREIGN KEY ("verificationId") REFERENCES "Verification" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
-- Entries already stored are numbered within their list in the order they were created (1, 2, 3 …).
INSERT INTO "new_NegativeListEntry" ("id", "listId", "milestoneId", "points", "reason", "status", "targetId", "withdrawnAt", "seq") SELECT "id", "listId", "milestoneId", "points", "reason", "status", "targetId", "withdrawnAt", (SELECT COUNT(*) FROM "NegativeListEntry" AS "e2" WHERE "e2"."listId" = "NegativeListEntry"."listId" AND "e2"."id" <= "NegativeListEntry"."id") FROM "NegativeListEntry";
DROP TABLE "NegativeListEntry";
ALTER TABLE "new_NegativeListEntry" RENAME TO "NegativeListEntry";
CREATE UNIQUE INDEX "NegativeListEntry_listId_targetId_milestoneId_key" ON "NegativeListEntry"("listId", "targetId", "milestoneId");
CREATE UNIQUE INDEX "NegativeListEntry_listId_seq_key" ON "NegativeListEntry"("listId", "seq");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

