import { beijingDate } from "../../domain/calendar/calendar.js";
import { InputError } from "../../domain/errors.js";
import { parseProgress, recordProgress, validateNote } from "../../domain/ledger/progress-reports.js";
import { getReportableTarget } from "../../domain/ledger/reportable-target.js";
import { listTargetsFor } from "../../domain/targets/targets.js";
import { CommandInput, type Command } from "../command.js";
import { isConfirmation } from "../normalize.js";
import type { CommandContext } from "../context.js";
import { dateText } from "../format.js";
import { careRules } from "../care-rules.js";

/**
 * 汇报 <编号> <进度> <说明>: adds a record to the target's 台账 (§7.3). Whatever is left out is asked
 * for in turn — the note in particular reads better as its own message after the percentage.
 */
export const report: Command = {
  name: "汇报",
  aliases: ["上报", "报进度", "进度"],
  usage: "汇报 <目标编号> <进度0-100> <进度说明>",
  summary: "汇报目标进度，记入台账",
  example: "汇报 FGW-03 60 已完成第二季度调研，形成报告初稿",
  roles: ["officer", "staff"],
  async run(ctx, input) {
    const [code, progressRaw] = input.words;
    if (!code) return askCode(ctx);
    const target = await reportable(ctx, code);
    if (!progressRaw) return ctx.ask(`请输入目标 ${target.code} 的当前进度（0-100 的整数，当前为 ${target.progress}%）：`, "progress", { code: target.code });
    const progress = parseProgress(progressRaw);
    const note = input.rest(2);
    if (!note) return askNote(ctx, target.code, progress);
    await save(ctx, target, progress, note);
  },
  async resume(ctx, step, data, reply) {
    if (step === "code") return report.run(ctx, new CommandInput(reply));
    const code = String(data.code);
    if (step === "progress") {
      const progress = parseProgressOrAsk(ctx, reply, code);
      if (progress !== null) askNote(ctx, code, progress);
      return;
    }
    if (step === "note") return save(ctx, await reportable(ctx, code), Number(data.progress), reply);
    if (step === "complete" || step === "lower") {
      const asked = step === "complete" ? 100 : Number(data.progress);
      if (isConfirmation(reply)) return save(ctx, await reportable(ctx, code), asked, String(data.note), true);
      // Anything else is read as the percentage meant instead.
      const progress = parseProgressOrAsk(ctx, reply, code);
      if (progress !== null) return save(ctx, await reportable(ctx, code), progress, String(data.note));
    }
  },
};

async function reportable(ctx: CommandContext, code: string) {
  const cycle = await ctx.currentCycle();
  return getReportableTarget(ctx.tx, ctx.actor, cycle.id, code);
}

async function askCode(ctx: CommandContext) {
  const cycle = await ctx.currentCycle();
  const mine = (await listTargetsFor(ctx.tx, ctx.actor, cycle.id)).filter((t) => ["issued", "in_progress"].includes(t.status));
  if (mine.length === 0) throw new InputError("您目前没有可以汇报的目标。");
  const list = mine.map((t) => `· ${t.code} ${t.title}（当前 ${t.progress}%）`).join("\n");
  ctx.ask(`请输入要汇报的目标编号：\n${list}`, "code");
}

function askNote(ctx: CommandContext, code: string, progress: number) {
  ctx.ask(`请简要说明目标 ${code} 本期进展（进度 ${progress}%），例如完成了哪些工作、取得了什么成效：`, "note", { code, progress });
}

/** A bad percentage keeps the dialog at the same step, so the user just types it again. */
function parseProgressOrAsk(ctx: CommandContext, raw: string, code: string): number | null {
  try {
    return parseProgress(raw);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    ctx.ask(`${err.message}\n请重新输入目标 ${code} 的进度：`, "progress", { code });
    return null;
  }
}


function dropThreshold(ctx: CommandContext): number {
  return careRules(ctx.settings.rulesDir, Number(beijingDate(ctx.now).slice(0, 4))).reporting.confirmDropAbovePoints;
}

async function save(ctx: CommandContext, target: Awaited<ReturnType<typeof reportable>>, progress: number, noteRaw: string, confirmed = false) {
  // 100% closes the target for good (Fig. 1 完成): one mistyped or mis-tapped "100" must not do that.
  if (progress === 100 && !confirmed) {
    // A note the record would refuse is said now, not after the user has confirmed.
    validateNote(noteRaw);
    return ctx.ask(
      `进度 100% 将把目标 ${target.code} 标记为完成，此后不再接受进度汇报。\n确认请回复“确认”；如进度有误，请直接回复正确的进度（0-100）。`,
      "complete",
      { code: target.code, note: noteRaw.trim() },
    );
  }
  // A sharp drop is most often a typo (5 for 85); the head must not read it unasked.
  const drop = target.progress - progress;
  if (!confirmed && drop > dropThreshold(ctx)) {
    validateNote(noteRaw);
    return ctx.ask(
      `进度 ${progress}% 比上次汇报的 ${target.progress}% 低 ${drop} 个百分点，将记入台账并在各类清单中显示。\n确认请回复“确认”；如进度有误，请直接回复正确的进度（0-100）。`,
      "lower",
      { code: target.code, note: noteRaw.trim(), progress },
    );
  }
  const { report: rec, milestonesReached, completed } = await recordProgress(
    ctx.tx,
    ctx.actor,
    target,
    { progress, note: noteRaw, channel: ctx.event.platform },
    ctx.now,
  );
  const lines = [`已记入台账：${target.code} ${target.title}，进度 ${progress}%（台账记录 ${rec.id}）。`];
  for (const m of milestonesReached) lines.push(`第${"一二三四"[m.quarter - 1]}季度节点（${dateText(m.dueOn)} 前达到 ${m.expectedProgress}%）已达成。`);
  if (completed) lines.push("目标已标记为完成，此后不再接受进度汇报。");
  ctx.reply(lines.join("\n"));
}
