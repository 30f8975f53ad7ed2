import type { Tx } from "../infra/db.js";

/** The pending step of a multi-step dialog, one per user and conversation. */
export interface PendingDialog {
  command: string;
  step: string;
  data: Record<string, unknown>;
}

export async function loadDialog(tx: Tx, userId: number, conversationKey: string, now: Date): Promise<PendingDialog | null> {
  const row = await tx.dialogState.findUnique({ where: { userId_conversationKey: { userId, conversationKey } } });
  if (!row) return null;
  if (row.expiresAt <= now) {
    await tx.dialogState.delete({ where: { id: row.id } });
    return null;
  }
  return { command: row.command, step: row.step, data: JSON.parse(row.data) as Record<string, unknown> };
}

export async function saveDialog(tx: Tx, userId: number, conversationKey: string, d: PendingDialog, expiresAt: Date): Promise<void> {
  const data = { command: d.command, step: d.step, data: JSON.stringify(d.data), expiresAt };
  await tx.dialogState.upsert({
    where: { userId_conversationKey: { userId, conversationKey } },
    create: { userId, conversationKey, ...data },
    update: data,
  });
}

export async function clearDialog(tx: Tx, userId: number, conversationKey: string): Promise<void> {
  await tx.dialogState.deleteMany({ where: { userId, conversationKey } });
}
