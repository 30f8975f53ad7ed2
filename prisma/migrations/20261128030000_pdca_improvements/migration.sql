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

