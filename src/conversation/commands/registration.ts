import { ForbiddenError, InputError, NotFoundError } from "../../domain/errors.js";
import { bindIdentity, PLATFORM_LABEL, parsePlatform, type BindablePlatform } from "../../domain/people/people.js";
import { ROLE_LABEL } from "../../domain/vocabulary.js";
import type { Command } from "../command.js";
import type { CommandContext } from "../context.js";
import { timeText } from "../format.js";

/**
 * 未登记 and 绑定: people who wrote to the bot before anyone bound their WeCom/DingTalk account are
 * remembered (conversation/identity.ts); the office lists them and binds each to an imported person.
 */
const LIST_MAX = 30;

export const unregistered: Command = {
  name: "未登记",
  usage: "未登记",
  summary: "列出向机器人发过消息、但尚未绑定人员的企业微信/钉钉账号",
  roles: ["office", "officer"],
  async run(ctx) {
    // An unknown account carries no agency, so an officer cannot tell which are theirs: only the office sees the list.
    if (ctx.actor.role !== "office") {
      return ctx.reply("未登记账号只向目标办列出（无法判断其所属单位）。请本单位人员向机器人发送任意消息，把回复中显示的账号告诉您，再发送“绑定 <平台账号> <账号>”。");
    }
    const total = await ctx.tx.unknownSender.count();
    if (total === 0) return ctx.reply("目前没有未登记的账号。");
    const rows = await ctx.tx.unknownSender.findMany({ orderBy: [{ lastSeenAt: "desc" }, { id: "desc" }], take: LIST_MAX });
    const lines = rows.map((r, i) => {
      const said = r.lastText ? `：“${r.lastText.length > 20 ? `${r.lastText.slice(0, 20)}…` : r.lastText}”` : "";
      return `${i + 1}. ${PLATFORM_LABEL[r.platform as BindablePlatform] ?? r.platform} ${r.externalId}（首次 ${timeText(r.firstSeenAt)}，最近 ${timeText(r.lastSeenAt)}${said}）`;
    });
    const more = total > rows.length ? `\n另有 ${total - rows.length} 个较早的账号未列出。` : "";
    ctx.reply(`未登记的账号 ${total} 个（按最近发送时间）：\n${lines.join("\n")}${more}\n绑定：发送“绑定 <平台账号> <账号>”，如“绑定 ${rows[0].externalId} fgw_zhao”。`);
  },
};

export const bind: Command = {
  name: "绑定",
  usage: "绑定 <平台账号> <账号> [企业微信|钉钉]",
  summary: "把未登记的企业微信/钉钉账号绑定到已导入的人员（单位目标办限本单位人员）",
  example: "绑定 ZhaoLei fgw_zhao",
  roles: ["office", "officer"],
  async run(ctx, input) {
    const [externalId, account, platformWord] = input.words;
    if (!externalId || !account || input.words.length > 3) throw new InputError("请写明平台账号和人员账号。");
    const platform = await platformOf(ctx, externalId, platformWord);
    const person = await ctx.tx.user.findUnique({ where: { account } });
    if (!person) throw new NotFoundError(`未找到账号 ${account}。请核对账号，或先导入人员。`);
    if (ctx.actor.role === "officer" && person.agencyId !== ctx.actor.agencyId) {
      throw new ForbiddenError(`${person.name}（账号 ${account}）不是本单位人员，您只能绑定本单位人员。`);
    }
    const r = await bindIdentity(ctx.tx, account, platform, externalId);
    const label = PLATFORM_LABEL[platform];
    if (!r.changed) return ctx.reply(`${label}账号 ${externalId} 已绑定${r.user.name}（账号 ${account}），未作修改。`);
    // The person is waiting for an answer, so the welcome goes out at once, not at the next working hour.
    await ctx.notify(
      r.user.id,
      { kind: "text", text: `您的${label}账号已登记为${r.user.name}（${ROLE_LABEL[r.user.role]}），现在可以开始使用。发送“帮助”查看可用的命令。` },
      { key: `bound:${platform}:${externalId}:${r.user.id}`, platform, notBefore: ctx.now, mandatory: true },
    );
    ctx.reply(`已将${label}账号 ${externalId} 绑定到${r.user.name}（账号 ${account}）${r.replaced ? `，替换原账号 ${r.replaced}` : ""}，并已通知本人可以开始使用。`);
  },
};

/** The platform is the one the account wrote from; only accounts the bot has seen can be bound in chat. */
async function platformOf(ctx: CommandContext, externalId: string, word: string | undefined): Promise<BindablePlatform> {
  const chosen = word ? parsePlatform(word) : undefined;
  const seen = await ctx.tx.unknownSender.findMany({ where: { externalId, ...(chosen ? { platform: chosen } : {}) } });
  if (seen.length === 1) return seen[0].platform as BindablePlatform;
  if (seen.length > 1) throw new InputError(`账号 ${externalId} 在企业微信和钉钉都有未登记记录，请在末尾写明平台，如“绑定 ${externalId} <账号> 钉钉”。`);
  const bound = chosen ?? (["wecom", "dingtalk"].includes(ctx.event.platform) ? (ctx.event.platform as BindablePlatform) : undefined);
  if (bound && (await ctx.tx.platformIdentity.findUnique({ where: { platform_externalId: { platform: bound, externalId } } }))) return bound;
  throw new NotFoundError(`未登记账号中没有“${externalId}”。请让本人先向机器人发送任意消息，再发送“未登记”核对账号。`);
}

export const registrationCommands: Command[] = [unregistered, bind];
