import type { Role } from "../domain/vocabulary.js";
import type { CommandContext } from "./context.js";

/**
 * A command is declared, not matched in an if-ladder: its names, the roles allowed, its right form,
 * and what it does. Multi-step commands also resume a dialog; consequential ones ask to confirm.
 */
export interface Command {
  name: string;
  aliases?: string[];
  /** The right form, shown in help and in every refusal, e.g. "汇报 <目标编号> <进度%> <说明>". */
  usage: string;
  /** The right form for a role that may use only part of it (e.g. 导出 for a unit: 台账 and 负面清单 only). */
  usageFor?: Partial<Record<Role, string>>;
  summary: string;
  example?: string;
  roles: readonly Role[];
  run(ctx: CommandContext, input: CommandInput): Promise<void>;
  /** Continues a dialog this command started with ctx.ask(). */
  resume?(ctx: CommandContext, step: string, data: Record<string, unknown>, text: string): Promise<void>;
  /** For consequential actions: validate and return the question to confirm; run() follows on “确认”. */
  confirm?(ctx: CommandContext, input: CommandInput): Promise<string>;
}

/** The text after the command's name, split on white space; `rest(n)` keeps the spacing of free text. */
export class CommandInput {
  readonly words: string[];
  constructor(readonly raw: string) {
    this.words = raw.trim() === "" ? [] : raw.trim().split(/\s+/);
  }
  /** Everything after the first n words, as typed. */
  rest(n: number): string {
    let s = this.raw.trim();
    for (let i = 0; i < n; i++) s = s.replace(/^\S+\s*/, "");
    return s.trim();
  }
}

/** The form of a command this role may use: its own when declared, else the command's. */
export function usageOf(c: Command, role: Role): string {
  return c.usageFor?.[role] ?? c.usage;
}

export const ALL_ROLES: readonly Role[] = ["office", "officer", "head", "staff", "assessor"];
