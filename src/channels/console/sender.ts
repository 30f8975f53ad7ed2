import type { Reply } from "../../messages/reply.js";
import type { ChannelSender, SendMeta, SendResult } from "../../outbox/sender.js";
import { saveFileReply, savedFileText } from "./files.js";
import { renderReply } from "./render.js";

/**
 * Active sending for the console platform (demo, development, `npm run job`): each outbox message is
 * written to a stream as the terminal would show it, headed by its recipient. Cards are numbered
 * across the stream; a console session clicks cards it showed itself, so these numbers are for reading.
 */
export class ConsoleSender implements ChannelSender {
  readonly platform = "console" as const;
  private cardButtons = 0;

  constructor(
    private readonly out: NodeJS.WritableStream = process.stdout,
    /** As ConsoleSession's: pushed files are written here. */
    private readonly exportsDir?: string,
  ) {}

  async send(recipient: string, reply: Reply, meta: SendMeta): Promise<SendResult> {
    const body = reply.kind === "file" && this.exportsDir ? savedFileText(saveFileReply(this.exportsDir, reply), reply) : renderReply(reply, () => ++this.cardButtons);
    const ok = this.out.write(`〔推送 → ${recipient}｜${meta.idempotencyKey}〕\n${body}\n\n`);
    // A full pipe is not a failure: the text is buffered and the stream drains it.
    if (!ok) await new Promise<void>((resolve) => this.out.once("drain", () => resolve()));
    return { ok: true };
  }
}
