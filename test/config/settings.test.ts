import { describe, expect, it } from "vitest";
import { dingtalkEnabled, loadSettings, SettingsError, wecomEnabled } from "../../src/config/settings.js";

describe("settings", () => {
  it("start with documented defaults", () => {
    const s = loadSettings({});
    expect(s.PORT).toBe(3000);
    expect(s.DATABASE_URL).toBe("file:./data/jxmb.db");
    expect(s.REMINDER_DAYS_AHEAD).toEqual([7, 3, 1]);
    expect(wecomEnabled(s)).toBe(false);
    expect(dingtalkEnabled(s)).toBe(false);
  });

  it("name the variable, the value and the fix in Chinese when a value is wrong", () => {
    expect(() => loadSettings({ PORT: "eighty" })).toThrow(SettingsError);
    expect(() => loadSettings({ PORT: "eighty" })).toThrow("PORT：当前为“eighty”，应为 0–65535 之间的整数端口号，例如 PORT=3000。");
    expect(() => loadSettings({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL：当前为“mysql:\/\/x”，应以 file:（SQLite）或 postgresql:\/\/（PostgreSQL）开头/);
    expect(() => loadSettings({ REMINDER_DAYS_AHEAD: "7,three" })).toThrow(/REMINDER_DAYS_AHEAD：.*例如 REMINDER_DAYS_AHEAD=7,3,1/);
    expect(() => loadSettings({ QUIET_HOURS: "8-18" })).toThrow(/QUIET_HOURS=08:30-18:00/);
    expect(() => loadSettings({ PORT: "eighty" })).toThrow(/^配置有误，服务未启动：[\s\S]*请在环境变量或项目目录下的 \.env 文件中改正/);
  });

  it("never says zod's English", () => {
    try {
      loadSettings({ PORT: "x", LOG_LEVEL: "loud", SCHEDULER_ENABLED: "yes", PUBLIC_BASE_URL: "example", APPEAL_WINDOW_DAYS: "-1" });
      expect.unreachable();
    } catch (err) {
      const message = (err as Error).message;
      expect(message).not.toMatch(/Invalid|expected|received/);
      for (const k of ["PORT", "LOG_LEVEL", "SCHEDULER_ENABLED", "PUBLIC_BASE_URL", "APPEAL_WINDOW_DAYS"]) expect(message).toContain(`${k}：`);
    }
  });

  it("does not echo a secret back", () => {
    const wecom = { WECOM_CORP_ID: "ww1", WECOM_AGENT_ID: "1", WECOM_SECRET: "s", WECOM_TOKEN: "t", WECOM_ENCODING_AES_KEY: "short-secret-value" };
    expect(() => loadSettings(wecom)).toThrow(SettingsError);
    expect(() => loadSettings(wecom)).not.toThrow(/short-secret-value/);
  });

  it("refuse half a platform configuration", () => {
    expect(() => loadSettings({ WECOM_CORP_ID: "ww1" })).toThrow(/WECOM_AGENT_ID、WECOM_SECRET、WECOM_TOKEN、WECOM_ENCODING_AES_KEY：未设置/);
  });

  it("check the EncodingAESKey's shape", () => {
    const wecom = { WECOM_CORP_ID: "ww1", WECOM_AGENT_ID: "1", WECOM_SECRET: "s", WECOM_TOKEN: "t", WECOM_ENCODING_AES_KEY: "short" };
    expect(() => loadSettings(wecom)).toThrow(/应为 43 位字母或数字/);
    expect(wecomEnabled(loadSettings({ ...wecom, WECOM_ENCODING_AES_KEY: "a".repeat(43) }))).toBe(true);
  });

  it("require a link secret in production", () => {
    expect(() => loadSettings({ NODE_ENV: "production" })).toThrow(/LINK_SECRET/);
  });
});
