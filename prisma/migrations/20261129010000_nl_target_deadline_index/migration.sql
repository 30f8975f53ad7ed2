-- CreateIndex
CREATE INDEX "Target_deadline_idx" ON "Target"("deadline");
