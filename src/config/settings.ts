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

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join("\n")}\nFix them in the environment or .env (see .env.example).`);
    this.name = "SettingsError";
  }
}

const WECOM_KEYS = ["WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_SECRET", "WECOM_TOKEN", "WECOM_ENCODING_AES_KEY"] as const;
const DINGTALK_KEYS = ["DINGTALK_APP_KEY", "DINGTALK_APP_SECRET", "DINGTALK_ROBOT_CODE"] as const;

export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new SettingsError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const s = parsed.data;
  const problems: string[] = [];
  // A platform is all-or-nothing: half a configuration is a mistake worth stopping for.
  for (const group of [WECOM_KEYS, DINGTALK_KEYS]) {
    const set = group.filter((k) => s[k] !== undefined);
    if (set.length > 0 && set.length < group.length) {
      problems.push(`${group.filter((k) => s[k] === undefined).join(", ")}: missing while ${set.join(", ")} is set; set all of them or none`);
    }
  }
  if (s.WECOM_ENCODING_AES_KEY && !/^[A-Za-z0-9]{43}$/.test(s.WECOM_ENCODING_AES_KEY)) {
    problems.push("WECOM_ENCODING_AES_KEY: must be exactly 43 letters or digits, as shown in the WeCom admin console");
  }
  if (s.NODE_ENV === "production" && !s.LINK_SECRET) {
    problems.push("LINK_SECRET: required in production (any long random string) to sign status-board links");
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
