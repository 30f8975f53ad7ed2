-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "digestGroup" TEXT;

-- CreateTable
CREATE TABLE "OutboxPace" (
    "key" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "OutboxPace_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "WecomResponseCode" (
    "taskId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WecomResponseCode_pkey" PRIMARY KEY ("taskId")
);

-- CreateIndex
CREATE INDEX "WecomResponseCode_expiresAt_idx" ON "WecomResponseCode"("expiresAt");
