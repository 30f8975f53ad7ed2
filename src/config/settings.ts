import { z } from "zod";

/**
 * Settings come from the environment only, validated once at start. Every name here is listed with a
 * comment in .env.example; a bad value stops the start with a message naming the variable and the fix.
 */
const optional = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const cronExpr = z.string().trim().regex(/^(\S+\s+){4,5}\S+$/, "must be a cron expression such as '0 9 5 1,4,7,10 *'");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .default("file:./data/jxmb.db")
    .refine((v) => v.startsWith("file:") || /^postgres(ql)?:\/\//.test(v), "must start with file: (SQLite) or postgresql:// (PostgreSQL)"),
  /** Upper bound for a SQLite database, in MB: writes are refused (as on a full disk) beyond it. */
  SQLITE_MAX_SIZE_MB: z.coerce.number().int().positive().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Public base URL of this bot, used in links (status board). */
  PUBLIC_BASE_URL: z.string().url().default("http://127.0.0.1:3000"),
  /** Secret for signed links; required in production. */
  LINK_SECRET: optional,
  BOARD_LINK_TTL_HOURS: z.coerce.number().positive().default(24),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  /** Days after a negative list is sent during which its entries can be appealed. */
  APPEAL_WINDOW_DAYS: z.coerce.number().int().positive().default(15),
  DIALOG_TTL_MINUTES: z.coerce.number().int().positive().default(30),
  RULES_DIR: z.string().default("rules"),
  /** Folder where evidence files sent with reports (佐证材料) are kept. */
  EVIDENCE_DIR: z.string().default("data/evidence"),

  SCHEDULER_ENABLED: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  CRON_REMINDERS: cronExpr.default("0 9 * * *"),
  CRON_NEGATIVE_LIST: cronExpr.default("0 9 5 1,4,7,10 *"),
  CRON_OUTBOX: cronExpr.default("*/10 * * * * *"),
  /** Seconds an outbox claim holds; a row still "sending" after that (its worker died) is sent again. */
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(1).default(300),
  /** Folder of the daily SQLite backup; empty (the default) turns the scheduled backup off. */
  BACKUP_DIR: optional,
  /** Daily backup files kept in BACKUP_DIR; older ones are deleted after each backup. */
  BACKUP_KEEP: z.coerce.number().int().min(1).default(7),
  CRON_BACKUP: cronExpr.default("30 2 * * *"),
  /** Bearer token for GET /metrics (Prometheus); unset, the endpoint is not served. */
  METRICS_TOKEN: optional,
  REMINDER_DAYS_AHEAD: z
    .string()
    .default("7,3,1")
    .transform((v, ctx) => {
      const days = v.split(",").map((d) => Number(d.trim()));
      if (days.some((d) => !Number.isInteger(d) || d < 0)) {
        ctx.addIssue({ code: "custom", message: "must be whole days separated by commas, e.g. 7,3,1" });
        return z.NEVER;
      }
      return days;
    }),
  ESCALATE_OFFICER_AFTER_DAYS: z.coerce.number().int().nonnegative().default(3),
  ESCALATE_HEAD_AFTER_DAYS: z.coerce.number().int().nonnegative().default(7),
  QUIET_HOURS: z
    .string()
    .regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, "must look like 08:30-18:00")
    .default("08:30-18:00"),

  WECOM_CORP_ID: optional,
  WECOM_AGENT_ID: optional,
  WECOM_SECRET: optional,
  WECOM_TOKEN: optional,
  WECOM_ENCODING_AES_KEY: optional,
  WECOM_API_BASE: z.string().url().default("https://qyapi.weixin.qq.com"),

  DINGTALK_APP_KEY: optional,
  DINGTALK_APP_SECRET: optional,
  DINGTALK_ROBOT_CODE: optional,
  /** The organisation's corpId; when set, callbacks naming another organisation are refused. */
  DINGTALK_CORP_ID: optional,
  DINGTALK_API_BASE: z.string().url().default("https://api.dingtalk.com"),
  DINGTALK_OAPI_BASE: z.string().url().default("https://oapi.dingtalk.com"),
  /** Interactive card template built in DingTalk's card designer; without it cards go out as markdown links. */
  DINGTALK_CARD_TEMPLATE_ID: optional,
  /** Route key the card callback is registered under (POST /v1.0/card/callbacks/register). */
  DINGTALK_CARD_ROUTE_KEY: optional,
});

export type Settings = z.infer<typeof schema>;
type Key = keyof Settings;

/**
 * What each variable must look like, in Chinese for the operator who reads the start-up error: the
 * rule and an example of a correct line. zod's own messages are English and name no variable.
 */
const EXPECTED: Record<Key, string> = {
  NODE_ENV: "应为 development、production 或 test 之一，例如 NODE_ENV=production",
  PORT: "应为 0–65535 之间的整数端口号，例如 PORT=3000",
  HOST: "应为监听地址，例如 HOST=0.0.0.0",
  DATABASE_URL: "应以 file:（SQLite）或 postgresql://（PostgreSQL）开头，例如 DATABASE_URL=file:./data/jxmb.db",
  LOG_LEVEL: "应为 fatal、error、warn、info、debug、trace 或 silent 之一，例如 LOG_LEVEL=info",
  PUBLIC_BASE_URL: "应为完整网址（含 http:// 或 https://），例如 PUBLIC_BASE_URL=https://jxmb.example.gov.cn",
  LINK_SECRET: "应为一串足够长的随机字符，例如 LINK_SECRET=$(openssl rand -hex 32) 的输出",
  BOARD_LINK_TTL_HOURS: "应为大于 0 的小时数，例如 BOARD_LINK_TTL_HOURS=24",
  BODY_LIMIT_BYTES: "应为大于 0 的整数（字节），例如 BODY_LIMIT_BYTES=1048576",
  APPEAL_WINDOW_DAYS: "应为大于 0 的整数天数，例如 APPEAL_WINDOW_DAYS=15",
  DIALOG_TTL_MINUTES: "应为大于 0 的整数分钟数，例如 DIALOG_TTL_MINUTES=30",
  RULES_DIR: "应为年度规则文件所在目录，例如 RULES_DIR=rules",
  EVIDENCE_DIR: "应为佐证材料保存目录，例如 EVIDENCE_DIR=data/evidence",
  SCHEDULER_ENABLED: "应为 true 或 false，例如 SCHEDULER_ENABLED=true",
  CRON_REMINDERS: "应为 cron 表达式（5 或 6 段，以空格分隔），例如 CRON_REMINDERS=\"0 9 * * *\"",
  CRON_NEGATIVE_LIST: "应为 cron 表达式（5 或 6 段，以空格分隔），例如 CRON_NEGATIVE_LIST=\"0 9 5 1,4,7,10 *\"",
  CRON_OUTBOX: "应为 cron 表达式（5 或 6 段，以空格分隔），例如 CRON_OUTBOX=\"*/10 * * * * *\"",
  OUTBOX_LEASE_SECONDS: "应为不小于 1 的整数秒数，例如 OUTBOX_LEASE_SECONDS=300",
  REMINDER_DAYS_AHEAD: "应为以英文逗号分隔的整数天数，例如 REMINDER_DAYS_AHEAD=7,3,1",
  ESCALATE_OFFICER_AFTER_DAYS: "应为不小于 0 的整数天数，例如 ESCALATE_OFFICER_AFTER_DAYS=3",
  ESCALATE_HEAD_AFTER_DAYS: "应为不小于 0 的整数天数，例如 ESCALATE_HEAD_AFTER_DAYS=7",
  QUIET_HOURS: "应写成“时:分-时:分”（两位数字），例如 QUIET_HOURS=08:30-18:00",
  WECOM_CORP_ID: "应为企业微信管理后台“我的企业”中的企业 ID",
  WECOM_AGENT_ID: "应为自建应用的 AgentId",
  WECOM_SECRET: "应为自建应用的 Secret",
  WECOM_TOKEN: "应为“接收消息”设置中的 Token",
  WECOM_ENCODING_AES_KEY: "应为“接收消息”设置中的 EncodingAESKey（43 位字母或数字）",
  WECOM_API_BASE: "应为完整网址，例如 WECOM_API_BASE=https://qyapi.weixin.qq.com",
  DINGTALK_APP_KEY: "应为钉钉应用的 AppKey",
  DINGTALK_APP_SECRET: "应为钉钉应用的 AppSecret",
  DINGTALK_ROBOT_CODE: "应为钉钉机器人的 RobotCode",
  DINGTALK_API_BASE: "应为完整网址，例如 DINGTALK_API_BASE=https://api.dingtalk.com",
  DINGTALK_OAPI_BASE: "应为完整网址，例如 DINGTALK_OAPI_BASE=https://oapi.dingtalk.com",
  DINGTALK_CARD_TEMPLATE_ID: "应为钉钉卡片平台中的模板 ID",
  DINGTALK_CORP_ID: "应为钉钉组织的 CorpId（以 ding 开头），留空则不核对回调中的组织",
  SQLITE_MAX_SIZE_MB: "应为大于 0 的整数（兆字节），留空则不限制，例如 SQLITE_MAX_SIZE_MB=10240",
  BACKUP_DIR: "应为每日备份文件的保存目录，留空则不做每日备份，例如 BACKUP_DIR=/var/backups/jxmb",
  BACKUP_KEEP: "应为不小于 1 的整数（保留的备份份数），例如 BACKUP_KEEP=7",
  CRON_BACKUP: "应为 cron 表达式（5 或 6 段，以空格分隔），例如 CRON_BACKUP=\"30 2 * * *\"",
  METRICS_TOKEN: "应为一串足够长的随机字符，用于访问 /metrics，例如 METRICS_TOKEN=$(openssl rand -hex 32) 的输出",
  DINGTALK_CARD_ROUTE_KEY: "应为卡片回调路由键",
};

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置有误，服务未启动：\n${problems.map((p) => `  - ${p}`).join("\n")}\n请在环境变量或项目目录下的 .env 文件中改正（各项说明见 .env.example）。`);
    this.name = "SettingsError";
  }
}

const WECOM_KEYS = ["WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_SECRET", "WECOM_TOKEN", "WECOM_ENCODING_AES_KEY"] as const;
const DINGTALK_KEYS = ["DINGTALK_APP_KEY", "DINGTALK_APP_SECRET", "DINGTALK_ROBOT_CODE"] as const;

/** Secrets are never echoed back, even when wrong. */
const SECRET = /SECRET|TOKEN|AES_KEY/;

function invalid(key: string, value: string | undefined): string {
  const shown = value === undefined || SECRET.test(key) ? "" : `当前为“${value}”，`;
  const rule = (EXPECTED as Record<string, string | undefined>)[key] ?? "取值无效";
  return `${key}：${shown}${rule}。`;
}

export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const keys = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
    throw new SettingsError(keys.map((k) => invalid(k, env[k])));
  }
  const s = parsed.data;
  const problems: string[] = [];
  // A platform is all-or-nothing: half a configuration is a mistake worth stopping for.
  for (const group of [WECOM_KEYS, DINGTALK_KEYS]) {
    const set = group.filter((k) => s[k] !== undefined);
    if (set.length > 0 && set.length < group.length) {
      problems.push(`${group.filter((k) => s[k] === undefined).join("、")}：未设置，而 ${set.join("、")} 已设置。请全部填写以启用${group === WECOM_KEYS ? "企业微信" : "钉钉"}，或全部留空。`);
    }
  }
  if (s.WECOM_ENCODING_AES_KEY && !/^[A-Za-z0-9]{43}$/.test(s.WECOM_ENCODING_AES_KEY)) {
    problems.push("WECOM_ENCODING_AES_KEY：应为 43 位字母或数字，请从企业微信管理后台“接收消息”设置中原样复制。");
  }
  if (s.NODE_ENV === "production" && !s.LINK_SECRET) {
    problems.push("LINK_SECRET：生产环境（NODE_ENV=production）必须设置，用于签名看板链接，例如 LINK_SECRET=$(openssl rand -hex 32) 的输出。");
  }
  if (problems.length) throw new SettingsError(problems);
  return s;
}

export function wecomEnabled(s: Settings): boolean {
  return WECOM_KEYS.every((k) => s[k] !== undefined);
}

export function dingtalkEnabled(s: Settings): boolean {
  return DINGTALK_KEYS.every((k) => s[k] !== undefined);
}
