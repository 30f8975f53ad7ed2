import type { CommandContext } from "./context.js";

/** Notifies every active office user (领导小组办公室/目标部) through the outbox. */
export async function notifyOffice(ctx: CommandContext, keyPrefix: string, message: string): Promise<number> {
  const office = await ctx.tx.user.findMany({ where: { role: "office", active: true }, select: { id: true } });
  for (const u of office) await ctx.notify(u.id, { kind: "text", text: message }, { key: `${keyPrefix}:${u.id}` });
  return office.length;
}

/** Notifies the agency's head(s) (一把手), skipping people already told. */
export async function notifyAgencyHeads(ctx: CommandContext, agencyId: number, keyPrefix: string, message: string, skip: number[] = []): Promise<void> {
  const heads = await ctx.tx.user.findMany({ where: { agencyId, role: "head", active: true, id: { notIn: skip } }, select: { id: true } });
  for (const u of heads) await ctx.notify(u.id, { kind: "text", text: message }, { key: `${keyPrefix}:${u.id}`, mandatory: true });
}
