import { randomUUID } from "node:crypto";
import type { Tx } from "../infra/db.js";
import type { Card, Reply } from "./reply.js";

/** Card keys double as WeCom task_id (letters, digits, _-@, ≤128) and DingTalk outTrackId. */
export function newCardKey(purpose: string): string {
  return `${purpose}-${randomUUID().replace(/-/g, "").slice(0, 16)}`;
}

/** Records each card in the replies so a later click can be matched, and refused if repeated. */
export async function rememberCards(tx: Tx, platform: string, userId: number | null, replies: Reply[]): Promise<void> {
  for (const r of replies) {
    if (r.kind !== "card") continue;
    // Recorded once: a card queued again under another key keeps its first record.
    if (await tx.cardInstance.findUnique({ where: { cardKey: r.card.key }, select: { id: true } })) continue;
    await tx.cardInstance.create({
      data: { platform, cardKey: r.card.key, userId, purpose: r.card.key.split("-")[0], context: JSON.stringify(r.card) },
    });
  }
}

/** Fills {select} placeholders of an action's command with the chosen option ids. */
export function actionCommand(card: Card, actionKey: string, values: Record<string, string>): { command: string; label: string } | null {
  const action = card.actions.find((a) => a.key === actionKey);
  if (!action) return null;
  let command = action.command;
  for (const s of card.selects ?? []) {
    const chosen = values[s.key] ?? s.selected;
    if (chosen !== undefined && s.options.some((o) => o.id === chosen)) command = command.replaceAll(`{${s.key}}`, chosen);
  }
  return /\{[^}]+\}/.test(command) ? null : { command, label: action.label };
}
