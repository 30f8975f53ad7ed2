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

  it("name the variable and the fix when a value is wrong", () => {
    expect(() => loadSettings({ PORT: "eighty" })).toThrow(SettingsError);
    expect(() => loadSettings({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: must start with file:/);
    expect(() => loadSettings({ REMINDER_DAYS_AHEAD: "7,three" })).toThrow(/REMINDER_DAYS_AHEAD/);
    expect(() => loadSettings({ QUIET_HOURS: "8-18" })).toThrow(/08:30-18:00/);
  });

  it("refuse half a platform configuration", () => {
    expect(() => loadSettings({ WECOM_CORP_ID: "ww1" })).toThrow(/WECOM_AGENT_ID, WECOM_SECRET, WECOM_TOKEN, WECOM_ENCODING_AES_KEY: missing/);
  });

  it("check the EncodingAESKey's shape", () => {
    const wecom = { WECOM_CORP_ID: "ww1", WECOM_AGENT_ID: "1", WECOM_SECRET: "s", WECOM_TOKEN: "t", WECOM_ENCODING_AES_KEY: "short" };
    expect(() => loadSettings(wecom)).toThrow(/exactly 43 letters or digits/);
    expect(wecomEnabled(loadSettings({ ...wecom, WECOM_ENCODING_AES_KEY: "a".repeat(43) }))).toBe(true);
  });

  it("require a link secret in production", () => {
    expect(() => loadSettings({ NODE_ENV: "production" })).toThrow(/LINK_SECRET/);
  });
});
