-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "digestGroup" TEXT;

-- CreateTable
CREATE TABLE "OutboxPace" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "state" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "WecomResponseCode" (
    "taskId" TEXT NOT NULL PRIMARY KEY,
    "code" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "WecomResponseCode_expiresAt_idx" ON "WecomResponseCode"("expiresAt");
