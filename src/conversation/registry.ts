import { distance } from "fastest-levenshtein";
import type { Command } from "./command.js";

/** Finds commands by name or alias, and suggests the nearest one for a near miss. */
export class CommandRegistry {
  private readonly byName = new Map<string, Command>();

  constructor(readonly commands: Command[]) {
    for (const c of commands) {
      for (const n of [c.name, ...(c.aliases ?? [])]) {
        if (this.byName.has(n)) throw new Error(`command name ${n} is declared twice`);
        this.byName.set(n, c);
      }
    }
  }

  get(name: string): Command | undefined {
    return this.byName.get(name);
  }

  /**
   * Splits "汇报FGW-03 60 …" or "汇报 FGW-03 60 …" into command and the rest. People often leave out
   * the space after a Chinese command word, so the longest known name that prefixes the text wins.
   */
  match(textIn: string): { command: Command; rest: string } | null {
    const t = textIn.trim();
    const first = t.split(/\s+/)[0];
    const direct = this.byName.get(first);
    if (direct) return { command: direct, rest: t.slice(first.length) };
    let best: string | null = null;
    for (const n of this.byName.keys()) if (t.startsWith(n) && (!best || n.length > best.length)) best = n;
    return best ? { command: this.byName.get(best)!, rest: t.slice(best.length) } : null;
  }

  /** The nearest command name within one or two edits, for “您是不是要输入……”. */
  suggest(word: string): Command | null {
    let best: { cmd: Command; d: number } | null = null;
    for (const [n, cmd] of this.byName) {
      const d = distance(word, n);
      const limit = n.length <= 2 ? 1 : 2;
      if (d <= limit && d < word.length && (!best || d < best.d)) best = { cmd, d };
    }
    return best?.cmd ?? null;
  }
}
