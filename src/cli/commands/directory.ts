import { createDingtalkChannel } from "../../channels/dingtalk/channel.js";
import { readDingtalkDirectory } from "../../channels/dingtalk/directory.js";
import { DingtalkApiError } from "../../channels/dingtalk/errors.js";
import { WecomApiClient, WecomApiError, WecomHttpError } from "../../channels/wecom/api.js";
import { wecomCredentials } from "../../channels/wecom/create-sender.js";
import { readWecomDirectory } from "../../channels/wecom/directory.js";
import { dingtalkEnabled, wecomEnabled, type Settings } from "../../config/settings.js";
import { DomainError } from "../../domain/errors.js";
import { planDirectoryBindings, type DirectoryPerson, type OrgSnapshot } from "../../domain/import/directory-match.js";
import { bindIdentity, PLATFORM_LABEL, type BindablePlatform } from "../../domain/people/people.js";
import type { Clock } from "../../infra/clock.js";
import type { Db } from "../../infra/db.js";
import type { Logger } from "../../infra/logger.js";
import { bootstrap } from "../bootstrap.js";
import { directoryReport } from "../directory-report.js";
import type { CliCommand } from "./types.js";

/** sysexits: 64 usage, 65 refused data, 69 the platform refused or could not be reached, 78 the platform is not configured. */
const EX_USAGE = 64;
const EX_DATAERR = 65;
const EX_UNAVAILABLE = 69;
const EX_CONFIG = 78;

const NOT_CONFIGURED: Record<BindablePlatform, string> = {
  wecom: "未配置企业微信：请设置 WECOM_CORP_ID、WECOM_AGENT_ID、WECOM_SECRET、WECOM_TOKEN、WECOM_ENCODING_AES_KEY（见 README“接入企业微信”）。",
  dingtalk: "未配置钉钉：请设置 DINGTALK_APP_KEY、DINGTALK_APP_SECRET、DINGTALK_ROBOT_CODE（见 README“接入钉钉”）。",
};

async function readDirectory(platform: BindablePlatform, settings: Settings, clock: Clock, log: Logger): Promise<OrgSnapshot> {
  if (platform === "wecom") {
    const c = wecomCredentials(settings);
    return readWecomDirectory(new WecomApiClient({ baseUrl: c.apiBase, corpId: c.corpId, secret: c.secret, agentId: c.agentId, clock, log }));
  }
  return readDingtalkDirectory(createDingtalkChannel(settings, { clock, log }).api);
}

/** The platform's refusal in words the admin can act on. */
function refusal(err: unknown): string | null {
  if (err instanceof WecomApiError) {
    if (err.errcode === 60011) return "企业微信拒绝读取通讯录（60011：应用无权查看该部门或成员）。请管理员在管理后台 → 应用管理 → 本应用 → 可见范围 中加入各单位所在的部门。";
    if (err.errcode === 60020) return "企业微信拒绝请求（60020：本服务器的 IP 不在应用的企业可信 IP 中）。请在应用详情中添加本服务器的出口 IP。";
    return `企业微信接口 ${err.api} 返回错误 ${err.errcode}：${err.errmsg}`;
  }
  if (err instanceof WecomHttpError) return `无法连接企业微信接口（${err.api}：${err.status ?? "网络错误"}），请检查 WECOM_API_BASE 和网络。`;
  if (err instanceof DingtalkApiError) {
    if (/60011/.test(err.detail)) {
      return "钉钉拒绝读取通讯录（没有调用该接口的权限）。请在开发者后台 → 本应用 → 权限管理 中开通“通讯录部门信息读权限”和“通讯录部门成员读权限”；需要按手机号匹配时再开通“企业员工手机号信息”。";
    }
    return `钉钉接口 ${err.api} 返回错误${err.code ? ` ${err.code}` : ""}：${err.detail}`;
  }
  return null;
}

async function peopleFor(db: Db, platform: BindablePlatform): Promise<(DirectoryPerson & { agencyLabel: string })[]> {
  const users = await db.user.findMany({ include: { agency: true, identities: { where: { platform } } }, orderBy: { id: "asc" } });
  return users.map((u) => ({
    id: u.id,
    account: u.account,
    name: u.name,
    agency: u.agency ? { name: u.agency.name, shortName: u.agency.shortName } : null,
    agencyLabel: u.agency?.shortName ?? "省级",
    mobile: u.mobile,
    boundId: u.identities[0]?.externalId ?? null,
    active: u.active,
  }));
}

const directory: CliCommand = {
  name: "directory",
  usage: "directory sync wecom|dingtalk [--dry-run]",
  summary: "按企业微信或钉钉通讯录为已导入的人员绑定平台账号（只绑定无歧义的，不解除已有绑定）",
  async run(args) {
    const words = args.filter((a) => !a.startsWith("--"));
    const platform = words[1] as BindablePlatform;
    if (words[0] !== "sync" || !(platform in PLATFORM_LABEL) || words.length !== 2 || args.some((a) => a.startsWith("--") && a !== "--dry-run")) {
      console.error("用法：npm run cli -- directory sync wecom|dingtalk [--dry-run]");
      return EX_USAGE;
    }
    const dryRun = args.includes("--dry-run");
    const { settings, db, log, clock } = await bootstrap();
    try {
      if (!(platform === "wecom" ? wecomEnabled(settings) : dingtalkEnabled(settings))) {
        console.error(NOT_CONFIGURED[platform]);
        return EX_CONFIG;
      }
      let snapshot: OrgSnapshot;
      try {
        snapshot = await readDirectory(platform, settings, clock, log);
      } catch (err) {
        const message = refusal(err);
        if (!message) throw err;
        console.error(message);
        return EX_UNAVAILABLE;
      }
      const label = PLATFORM_LABEL[platform];
      const people = await peopleFor(db, platform);
      const plan = planDirectoryBindings(snapshot.members, people, label);
      if (!dryRun && plan.bind.length) {
        try {
          await db.$transaction(async (tx) => {
            for (const b of plan.bind) await bindIdentity(tx, b.person!.account, platform, b.member.externalId);
          });
        } catch (err) {
          // Someone bound an account meanwhile: nothing was written; a second run sees the new state.
          if (!(err instanceof DomainError)) throw err;
          console.error(`${err.message}\n未写入任何绑定，请重新执行。`);
          return EX_DATAERR;
        }
      }
      const bound = new Set(plan.bind.map((b) => b.person!.id));
      const stillUnbound = people.filter((p) => p.active && !p.boundId && !bound.has(p.id)).map((p) => ({ account: p.account, name: p.name, agency: p.agencyLabel }));
      console.log(directoryReport({ platform, label, snapshot, plan, dryRun, stillUnbound }));
      return 0;
    } finally {
      await db.$disconnect();
    }
  },
};

export const directoryCli: CliCommand[] = [directory];
