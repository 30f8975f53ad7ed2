-- AlterTable
ALTER TABLE "User" ADD COLUMN "mobile" TEXT;

-- CreateTable
CREATE TABLE "UnknownSender" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "lastText" TEXT,

    CONSTRAINT "UnknownSender_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "UnknownSender_platform_externalId_key" ON "UnknownSender"("platform", "externalId");
