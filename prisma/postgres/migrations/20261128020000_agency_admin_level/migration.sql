-- AlterTable
ALTER TABLE "Agency" ADD COLUMN "adminLevel" TEXT;
