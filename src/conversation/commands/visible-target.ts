import { InputError } from "../../domain/errors.js";
import { getVisibleTarget } from "../../domain/targets/targets.js";
import type { CommandContext } from "../context.js";

/**
 * The opening the commands about one target share: the current 考评周期 (§2.20), then the target with
 * that code as the speaker may see it (drafts are the office's; other agencies' are not shown).
 */
export async function visibleTarget(ctx: CommandContext, code: string) {
  const cycle = await ctx.currentCycle();
  return { cycle, target: await getVisibleTarget(ctx.tx, ctx.actor, cycle.id, code) };
}

/** The target code written after the command's name, or the reply that asks for it. */
export function codeAfter(commandName: string, code: string | undefined): string {
  if (!code) throw new InputError(`请在“${commandName}”后写明目标编号。`);
  return code;
}
