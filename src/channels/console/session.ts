import { randomUUID } from "node:crypto";
import type { InboundEvent } from "../../conversation/event.js";
import type { Card, Reply } from "../../messages/reply.js";
import type { Clock } from "../../infra/clock.js";
import { saveFileReply, savedFileText } from "./files.js";
import { renderReply } from "./render.js";

/**
 * The console channel: one person's terminal conversation with the same core the platforms use.
 * Typing "#n [选项…]" clicks the n-th card button shown so far.
 */
export class ConsoleSession {
  private readonly buttons: { card: Card; actionKey: string }[] = [];

  constructor(
    private readonly account: string,
    private readonly handle: (ev: InboundEvent) => Promise<Reply[]>,
    private readonly clock: Clock,
    /** Where file replies (导出 …) are written; without it the terminal shows only their names. */
    private readonly exportsDir?: string,
  ) {}

  async send(line: string): Promise<string> {
    const click = /^#(\d+)\s*(.*)$/.exec(line.trim());
    const body = click ? this.clickBody(Number(click[1]), click[2]) : { type: "text" as const, text: line };
    if (!body) return "没有这个卡片按钮编号。";
    const replies = await this.handle({
      platform: "console",
      eventKey: randomUUID(),
      senderId: this.account,
      conversationId: `console:${this.account}`,
      receivedAt: this.clock.now(),
      body,
    });
    return replies
      .map((r) => (r.kind === "file" && this.exportsDir ? savedFileText(saveFileReply(this.exportsDir, r), r) : renderReply(r, (cardKey, actionKey) => this.index(r, cardKey, actionKey))))
      .join("\n\n");
  }

  private index(r: Reply, cardKey: string, actionKey: string): number {
    if (r.kind !== "card") return 0;
    this.buttons.push({ card: r.card, actionKey });
    return this.buttons.length;
  }

  private clickBody(n: number, args: string) {
    const b = this.buttons[n - 1];
    if (!b) return null;
    const picked = args.trim() ? args.trim().split(/\s+/) : [];
    const values: Record<string, string> = {};
    (b.card.selects ?? []).forEach((s, i) => {
      const v = (picked[i] ?? s.selected ?? "").replace(/[%％]$/, "");
      if (v) values[s.key] = v;
    });
    return { type: "action" as const, cardKey: b.card.key, actionKey: b.actionKey, values };
  }
}
