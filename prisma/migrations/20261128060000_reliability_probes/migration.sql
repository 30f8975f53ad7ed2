-- CreateTable
CREATE TABLE "HealthProbe" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "payload" TEXT NOT NULL,
    "checkedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SignatureUse" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "timestamp" TEXT NOT NULL,
    "sign" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "SignatureUse_expiresAt_idx" ON "SignatureUse"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "SignatureUse_kind_timestamp_sign_key" ON "SignatureUse"("kind", "timestamp", "sign");


-- CreateTable
CREATE TABLE "EvidenceBlob" (
    "sha256" TEXT NOT NULL PRIMARY KEY,
    "content" BLOB NOT NULL,
    "size" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
