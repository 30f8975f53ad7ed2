import { isStorageFault, isUniqueViolation, StorageUnavailable } from "../infra/db-errors.js";
import type { Db, Tx } from "../infra/db.js";
import type { Clock } from "../infra/clock.js";
import { lazyChild, type Logger } from "../infra/logger.js";
import type { Actor } from "../domain/people/actor.js";
import { DomainError, ForbiddenError } from "../domain/errors.js";
import { ROLE_LABEL } from "../domain/vocabulary.js";
import { beijingDate } from "../domain/calendar/calendar.js";
import { actionCommand, rememberCards } from "../messages/cards.js";
import { CommandInput, type Command } from "./command.js";
import { CommandContext, type ConversationSettings } from "./context.js";
import { clearDialog, loadDialog, saveDialog } from "./dialog.js";
import type { InboundEvent } from "./event.js";
import { rememberUnknownSender } from "./identity.js";
import { isConfirmation, normalizeCommandText, storableText } from "./normalize.js";
import { ReadCache } from "./read-cache.js";
import type { CommandRegistry } from "./registry.js";
import { text, type Card, type Reply } from "../messages/reply.js";
import { recordIfDatabaseError } from "../metrics/registry.js";
import { CommandOutcomes, Deliveries } from "./deliveries.js";

const CANCEL_WORDS = new Set(["取消", "算了", "不", "否", "退出", "no", "n"]);

export interface InboundFile {
  fileName: string;
  content: Buffer;
  /** What the handler's `prepare` made of the content before the transaction. */
  prepared?: unknown;
}

export interface FileHandler {
  (ctx: CommandContext, file: InboundFile): Promise<void>;
  /** Work on the bytes that needs no database (opening a workbook), done before the event's transaction so it holds no lock; never throws. */
  prepare?(file: InboundFile, sender: Actor, log: Logger): Promise<void>;
}

/**
 * The one path for every message: dedupe → who is speaking → dialog or command → domain → replies.
 * Each event runs in one transaction with its inbound record, so a retried delivery changes nothing and
 * a failed command leaves nothing half-written.
 */
export class ConversationCore {
  /** Who is speaking, the current cycle, waiting dialogs: read once, not per message. */
  private readonly cache = new ReadCache();
  private readonly deliveries: Deliveries;
  private readonly outcomes = new CommandOutcomes();

  constructor(
    private readonly db: Db,
    private readonly registry: CommandRegistry,
    private readonly settings: ConversationSettings,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly fileHandler?: FileHandler,
  ) {
    this.deliveries = new Deliveries(db);
  }

  /**
   * Replies for one delivery. Throws StorageUnavailable when the database failed and nothing was
   * stored: the receiver then answers so that the platform delivers the message again.
   */
  async handle(event: InboundEvent): Promise<Reply[]> {
    // In place: the receiver reads `redelivery` back from this same object.
    if (event.body.type === "text") event.body.text = storableText(event.body.text);
    const log = lazyChild(this.log, { platform: event.platform, eventKey: event.eventKey, sender: event.senderId });
    try {
      return await this.handleOnce(event, log);
    } catch (err) {
      if (!isStorageFault(err)) throw err;
      recordIfDatabaseError("conversation", err);
      log.error({ msg: "event not stored: database unavailable; the platform is asked to deliver it again", err });
      throw new StorageUnavailable(err);
    }
  }

  private async handleOnce(event: InboundEvent, log: Logger): Promise<Reply[]> {
    // A text message is not looked up first: the unique key on its inbound record turns a retry into
    // the stored answer anyway (its transaction rolls back), and a first delivery saves the read.
    if (event.body.type !== "text" && (await this.deliveries.storedReplies(event))) {
      log.info({ msg: "duplicate delivery ignored" });
      return this.deliveries.duplicate(event);
    }
    const now = this.clock.now();
    // File contents are fetched before the transaction (a slow download must not hold the write
    // lock), and only for roles that may send files (the office's imports, reporters' evidence).
    let file: InboundFile | null = null;
    if (event.body.type === "file") {
      const sender = await this.cache.actor(this.db, event.platform, event.senderId);
      const maySend = typeof sender === "object" && sender !== null && ["office", "officer", "staff"].includes(sender.role);
      file = { fileName: event.body.fileName, content: maySend ? await event.body.fetch() : Buffer.alloc(0) };
      if (maySend) await this.fileHandler?.prepare?.(file, sender, log);
    }
    try {
      const replies = await this.db.$transaction(
        async (tx) => {
          const { replies, userId } = await this.dispatch(tx, event, now, log, file);
          // Recorded last, in the same transaction: a concurrent duplicate fails here on the unique
          // key and its whole transaction rolls back, so a delivery takes effect exactly once.
          await this.deliveries.record(tx, event, now, userId, replies);
          return replies;
        },
        { timeout: 20_000, maxWait: 20_000 },
      );
      this.outcomes.count(event);
      return replies;
    } catch (err) {
      if (isUniqueViolation(err)) {
        this.outcomes.drop(event);
        return this.deliveries.duplicate(event);
      }
      if (err instanceof DomainError) {
        log.info({ msg: "command refused", code: err.code });
        const replies = [text(withUsage(err))];
        const stored = await this.deliveries.recordRefusal(event, now, replies);
        if (stored) this.outcomes.drop(event);
        else this.outcomes.count(event);
        return stored ?? replies;
      }
      if (isStorageFault(err)) {
        this.outcomes.drop(event);
        throw err;
      }
      this.outcomes.count(event);
      log.error({ msg: "event failed", err });
      recordIfDatabaseError("conversation", err);
      return [text("抱歉，系统暂时无法处理您的请求，请稍后再试。如多次出现，请联系目标办。")];
    }
  }

  private async dispatch(
    tx: Tx,
    event: InboundEvent,
    now: Date,
    log: Logger,
    file: InboundFile | null,
  ): Promise<{ replies: Reply[]; userId: number | null }> {
    const actor = await this.cache.actor(tx, event.platform, event.senderId);
    if (actor === null) {
      await rememberUnknownSender(tx, event, now);
      return { replies: [text(`您的账号（${event.senderId}）尚未在目标绩效管理系统中登记。请联系本单位目标办或省目标办开通后再使用。`)], userId: null };
    }
    if (actor === "inactive") return { replies: [text("您的账号已停用。如有疑问，请联系本单位目标办。")], userId: null };
    const ctx = new CommandContext(tx, actor, event, now, this.settings, log.child({ user: actor.account }), this.cache);
    const conversation = event.conversationId;

    if (event.body.type === "file") {
      if (!this.fileHandler) ctx.reply("暂不支持通过文件办理业务。请发送文字命令，回复“帮助”查看用法。");
      else await this.fileHandler(ctx, file!);
    } else if (event.body.type === "action") {
      await this.runCardAction(ctx, event.body.cardKey, event.body.actionKey, event.body.values);
    } else {
      await this.runText(ctx, event.body.text);
    }

    if (ctx.pendingDialog) {
      const expires = new Date(now.getTime() + this.settings.dialogTtlMinutes * 60_000);
      await saveDialog(tx, actor.id, conversation, { command: ctx.pendingDialog.data.__command as string, ...ctx.pendingDialog }, expires);
    } else if (ctx.clearDialog) {
      await clearDialog(tx, actor.id, conversation);
    }
    await rememberCards(tx, event.platform, actor.id, ctx.replies);
    return { replies: ctx.replies, userId: actor.id };
  }

  private async runText(ctx: CommandContext, raw: string): Promise<void> {
    // Only a user who may have a dialog waiting costs a read (the cache knows who has none).
    const mayHaveDialog = await this.cache.mayHaveDialog(ctx.tx, ctx.actor.id);
    const dialog = mayHaveDialog ? await loadDialog(ctx.tx, ctx.actor.id, ctx.event.conversationId, ctx.now) : null;
    // In a dialog only an exact command word counts (see below), so a note keeps its punctuation.
    const message = normalizeCommandText(raw, (word) => (dialog ? this.registry.get(word) !== undefined : this.registry.match(word) !== null));
    // A new command wins over a waiting dialog (people change their mind mid-way), but only when its
    // first word is exactly a command: a note such as "进度正常……" must not be read as 进度.
    const matched = !message ? null : dialog ? this.exactCommand(message) : this.registry.match(message);
    if (dialog && !matched) {
      if (CANCEL_WORDS.has(message.toLowerCase())) {
        ctx.clearDialog = true;
        return ctx.reply("已取消。");
      }
      const command = this.registry.get(dialog.command);
      if (command) return this.resume(ctx, command, dialog.step, dialog.data, message);
    }
    if (!message) return ctx.reply("请发送命令，例如“我的目标”。回复“帮助”查看全部用法。");
    if (!matched) return ctx.reply(this.unknown(message, ctx.actor));
    ctx.clearDialog = Boolean(dialog);
    await this.runCommand(ctx, matched.command, new CommandInput(matched.rest));
  }

  async runCommand(ctx: CommandContext, command: Command, input: CommandInput): Promise<void> {
    if (!command.roles.includes(ctx.actor.role)) {
      this.outcomes.note(ctx.event, command.name, "forbidden");
      throw new ForbiddenError(`“${command.name}”仅供${command.roles.map((r) => ROLE_LABEL[r]).join("、")}使用，您的角色（${ROLE_LABEL[ctx.actor.role]}）不能使用。`);
    }
    try {
      if (command.confirm) {
        const question = await command.confirm(ctx, input);
        return ctx.ask(`${question}\n请回复“确认”执行，或回复“取消”。`, "confirm", { __command: command.name, raw: input.raw });
      }
      await command.run(ctx, input);
      this.outcomes.note(ctx.event, command.name, "ok");
      this.tagDialog(ctx, command);
    } catch (err) {
      this.outcomes.note(ctx.event, command.name, err instanceof DomainError ? "refused" : "error");
      if (err instanceof DomainError) (err as DomainError & { usage?: string }).usage ??= command.usage;
      throw err;
    }
  }

  private async resume(ctx: CommandContext, command: Command, step: string, data: Record<string, unknown>, message: string): Promise<void> {
    try {
      if (step === "confirm") {
        if (!isConfirmation(message)) {
          return ctx.ask("请回复“确认”执行，或回复“取消”放弃。", "confirm", data);
        }
        ctx.clearDialog = true;
        await command.run(ctx, new CommandInput(String(data.raw ?? "")));
        this.outcomes.note(ctx.event, command.name, "ok");
      } else if (command.resume) {
        ctx.clearDialog = true;
        await command.resume(ctx, step, data, message);
      }
      this.tagDialog(ctx, command);
    } catch (err) {
      if (err instanceof DomainError) (err as DomainError & { usage?: string }).usage ??= command.usage;
      throw err;
    }
  }

  private tagDialog(ctx: CommandContext, command: Command): void {
    if (ctx.pendingDialog) ctx.pendingDialog.data.__command ??= command.name;
  }

  private async runCardAction(ctx: CommandContext, cardKey: string, actionKey: string, values: Record<string, string>): Promise<void> {
    const card = await ctx.tx.cardInstance.findUnique({ where: { cardKey } });
    if (!card || (card.userId !== null && card.userId !== ctx.actor.id)) {
      return ctx.reply("该卡片已失效。请发送文字命令办理，回复“帮助”查看用法。");
    }
    const model = JSON.parse(card.context) as Card;
    if (model.openUntil && (card.state !== "open" ? card.result === model.openUntil.closedStatus : beijingDate(ctx.now) > model.openUntil.lastDay)) {
      return this.closeExpiredCard(ctx, card.id, cardKey, model.openUntil);
    }
    if (card.state !== "open") {
      ctx.reply({ kind: "card-update", cardKey, status: card.result ?? "已处理" });
      return ctx.reply("该卡片已提交过，不能重复提交。");
    }
    const resolved = actionCommand(model, actionKey, values);
    const matched = resolved ? this.registry.match(resolved.command) : null;
    if (!resolved || !matched) return ctx.reply("请先在卡片上完成选择，再点击提交。");
    // A card of independent buttons (one per negative-list entry, say) spends each button once; a
    // form (selects + submit) or a single button closes as a whole. Either way the change is made in
    // the same transaction as the action, so a refused action leaves the card usable.
    const independent = !model.selects?.length && model.actions.length > 1;
    const used = card.result?.startsWith("used:") ? card.result.slice(5).split(",") : [];
    if (independent && used.includes(actionKey)) return ctx.reply(`“${resolved.label}”已提交过，不能重复提交。`);
    const nowUsed = [...used, actionKey];
    const finished = !independent || model.actions.every((a) => nowUsed.includes(a.key));
    const status = independent && !finished ? `used:${nowUsed.join(",")}` : `已提交：${independent ? "全部事项" : resolved.label}`;
    const changed = await ctx.tx.cardInstance.updateMany({
      where: { id: card.id, state: "open", result: card.result },
      data: { state: finished ? "done" : "open", result: status, closedAt: finished ? ctx.now : null },
    });
    if (changed.count !== 1) return ctx.reply("该卡片已提交过，不能重复提交。");
    if (finished) ctx.reply({ kind: "card-update", cardKey, status });
    await this.runCommand(ctx, matched.command, new CommandInput(matched.rest));
  }

  /** A card past its last day says so and closes, in the same transaction as the click's record. */
  private async closeExpiredCard(ctx: CommandContext, id: number, cardKey: string, until: NonNullable<Card["openUntil"]>): Promise<void> {
    await ctx.tx.cardInstance.updateMany({ where: { id, state: "open" }, data: { state: "done", result: until.closedStatus, closedAt: ctx.now } });
    ctx.reply({ kind: "card-update", cardKey, status: until.closedStatus });
    ctx.reply(until.closedText);
  }

  private exactCommand(message: string): { command: Command; rest: string } | null {
    const first = message.split(/\s+/)[0];
    const command = this.registry.get(first);
    return command ? { command, rest: message.slice(first.length) } : null;
  }

  private unknown(message: string, actor: Actor): string {
    const word = message.split(/\s+/)[0].slice(0, 20);
    const near = this.registry.suggest(word);
    if (near && near.roles.includes(actor.role)) {
      return `未识别的命令“${word}”。您是不是要输入“${near.name}”？\n用法：${near.usage}\n回复“帮助”查看全部命令。`;
    }
    const common = this.registry.commands.filter((c) => c.roles.includes(actor.role) && c.name !== "帮助").slice(0, 3);
    return `未识别的命令“${word}”。常用命令：\n${common.map((c) => `· ${c.usage}`).join("\n")}\n回复“帮助”查看您可以使用的全部命令。`;
  }
}

function withUsage(err: DomainError): string {
  const usage = (err as DomainError & { usage?: string }).usage;
  return usage && err.code !== "forbidden" && err.code !== "state" ? `${err.message}\n正确格式：${usage}` : err.message;
}

