-- CreateTable
CREATE TABLE "HealthProbe" (
    "id" SERIAL NOT NULL,
    "payload" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HealthProbe_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignatureUse" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "timestamp" TEXT NOT NULL,
    "sign" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignatureUse_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SignatureUse_expiresAt_idx" ON "SignatureUse"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "SignatureUse_kind_timestamp_sign_key" ON "SignatureUse"("kind", "timestamp", "sign");


-- CreateTable
CREATE TABLE "EvidenceBlob" (
    "sha256" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "size" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvidenceBlob_pkey" PRIMARY KEY ("sha256")
);
