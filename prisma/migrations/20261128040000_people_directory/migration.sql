-- AlterTable
ALTER TABLE "User" ADD COLUMN "mobile" TEXT;

-- CreateTable
CREATE TABLE "UnknownSender" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "lastText" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "UnknownSender_platform_externalId_key" ON "UnknownSender"("platform", "externalId");
