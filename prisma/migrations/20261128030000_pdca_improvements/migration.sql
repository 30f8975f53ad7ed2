-- AlterTable
ALTER TABLE "Milestone" ADD COLUMN "reachedLateAt" DATETIME;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "standInForId" INTEGER;
ALTER TABLE "OutboxMessage" ADD COLUMN "targetId" INTEGER;

-- CreateTable
CREATE TABLE "Improvement" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "subjectKey" TEXT NOT NULL,
    "targetId" INTEGER NOT NULL,
    "milestoneId" INTEGER,
    "dueOn" DATETIME NOT NULL,
    "requestedAt" DATETIME NOT NULL,
    "remindedAt" DATETIME,
    "cause" TEXT,
    "measures" TEXT,
    "authorId" INTEGER,
    "answeredAt" DATETIME,
    CONSTRAINT "Improvement_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "Target" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Improvement_milestoneId_fkey" FOREIGN KEY ("milestoneId") REFERENCES "Milestone" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Improvement_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Improvement_subjectKey_key" ON "Improvement"("subjectKey");

-- CreateIndex
CREATE INDEX "Improvement_targetId_idx" ON "Improvement"("targetId");


-- Backfill: a milestone not achieved on time whose target later reported its expected progress was
-- reached late (逾期达成). Any such report is after the due day, or it would have achieved the milestone.
UPDATE "Milestone" SET "reachedLateAt" = (
    SELECT MIN(r."createdAt") FROM "ProgressReport" r
    WHERE r."targetId" = "Milestone"."targetId" AND r."progress" >= "Milestone"."expectedProgress" AND r."createdAt" > "Milestone"."dueOn"
) WHERE "achievedAt" IS NULL;
