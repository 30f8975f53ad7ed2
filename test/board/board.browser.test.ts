import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoProvince } from "../../src/demo/seed.js";
import { beijingDate, fromBeijingDate } from "../../src/domain/calendar/calendar.js";
import { loadRules } from "../../src/domain/rules.js";
import { classifyTarget } from "../../src/domain/targets/targets.js";
import { targetLight } from "../../src/domain/care/warnings.js";
import { LIGHT_COLOR } from "../../src/board/html.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { chatWith } from "../helpers/chat.js";
import { freshDb } from "../helpers/db.js";
import { DEMO_NOW } from "../helpers/province.js";
import { PHONE, launchChromium } from "./browser.js";
import { countColour, decodePng } from "./png.js";

/**
 * The 看板 opened for real: the demo province on 20 Nov 2026 with a month of activity, links taken
 * from the bot's 看板 replies, pages loaded in Debian's headless Chromium at phone size, charts drawn
 * by ECharts served from the bot, and what the page shows compared with the database.
 */
const SHOTS = path.resolve("test/.tmp/board");
let app: TestApp;
let browser: Browser;
let chat: ReturnType<typeof chatWith>;
const links: Record<string, string> = {};

async function linkFor(account: string): Promise<string> {
  const answer = await chat.say(account, "看板");
  const url = new URL(/\((http:\/\/[^)]+)\)/.exec(answer)![1]);
  // PUBLIC_BASE_URL is the default in tests; the path and token are what the bot signed.
  return `${app.url}${url.pathname}${url.search}`;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const { db, url } = await freshDb("board");
  await seedDemoProvince(db, { now: DEMO_NOW });
  // Dynamic targets (§2.7) carry their document's deadline: here the last day of the year, so the
  // board has targets in every colour on 20 Nov.
  await db.target.updateMany({ where: { code: { endsWith: "-08" } }, data: { deadline: fromBeijingDate("2026-12-31") } });
  app = await startTestApp({ db: { db, url }, now: DEMO_NOW });
  chat = chatWith(app.app.core, app.clock);
  for (const [who, msg] of [
    ["jyt_he", "汇报 JYT-02 100 产教融合项目全部验收"],
    ["jyt_he", "汇报 JYT-01 100 定点帮扶年度任务完成"],
    ["nyt_tian", "汇报 NYT-01 100 帮扶项目通过验收"],
    ["swj_officer", "请假 杨柳 11月18日 至 11月27日"],
    ["swj_officer", "代报 杨柳 SWJ-02 90 可移动文物普查数据已汇总"],
  ] as const) {
    let answer = await chat.say(who, msg);
    // Reporting 100% asks to confirm that the target is complete.
    if (answer.includes("标记为完成")) answer = await chat.say(who, "确认");
    expect(answer).toMatch(/已(代杨柳)?记入台账|已登记/);
  }
  links.province = await linkFor("mbb_zhang");
  links.fgw = await linkFor("fgw_officer");
  links.swj = await linkFor("swj_head");
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function open(url: string, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage(viewport ? { viewport, deviceScaleFactor: 1 } : PHONE);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // Everything the board needs comes from the bot itself; nothing may reach out elsewhere.
  await page.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());
  const res = await page.goto(url);
  expect(res?.status()).toBe(200);
  await page.waitForSelector("body[data-charts-ready=true]", { timeout: 20_000 });
  expect(errors).toEqual([]);
  return page;
}

const cells = (page: Page, selector: string) => page.$$eval(selector, (rows) => rows.map((r) => Object.fromEntries([...r.querySelectorAll("[data-k]")].map((c) => [c.getAttribute("data-k"), Number(c.textContent)]))));

async function expectedByAgency() {
  const rules = loadRules(2026).warnings;
  const today = beijingDate(DEMO_NOW);
  const agencies = await app.db.agency.findMany({ orderBy: { id: "asc" }, include: { targets: { include: { milestones: true } } } });
  return agencies.map((a) => {
    const issued = a.targets.filter((t) => ["issued", "in_progress", "completed", "not_completed"].includes(t.status));
    const state = issued.map((t) => classifyTarget(t, today));
    const onTrack = issued.filter((_, i) => state[i] === "on_track");
    return {
      code: a.code,
      issued: issued.length,
      onTrack: onTrack.length,
      warning: onTrack.filter((t) => targetLight(t, today, rules).light === "yellow").length,
      late: state.filter((s) => s === "late" || s === "not_completed").length,
      done: issued.filter((t) => t.status === "completed").length,
    };
  });
}

async function chartPixels(page: Page, chart: string, file: string) {
  const png = await page.locator(`[data-chart="${chart}"]`).screenshot({ path: path.join(SHOTS, file) });
  return decodePng(png);
}

describe("the province board in a phone browser", () => {
  let page: Page;
  beforeAll(async () => {
    page = await open(links.province);
  }, 60_000);

  it("shows each agency's numbers as the database has them", async () => {
    const expected = await expectedByAgency();
    const shown = await page.$$eval("#agency-table tbody tr", (rows) => rows.map((r) => r.getAttribute("data-agency")));
    expect(shown).toEqual(expected.map((e) => e.code));
    const numbers = await cells(page, "#agency-table tbody tr");
    expect(numbers).toEqual(expected.map(({ code: _code, ...n }) => n));
    const [total] = await cells(page, "#agency-table tfoot tr");
    expect(total.issued).toBe(await app.db.target.count({ where: { status: { in: ["issued", "in_progress", "completed", "not_completed"] } } }));
    expect(total.done).toBe(await app.db.target.count({ where: { status: "completed" } }));
    expect(await page.textContent('[data-kpi="done"] b')).toBe(String(total.done));
  });

  it("shows the negative-list entries per quarter", async () => {
    const rows = await page.$$eval("#negative-table tbody tr", (trs) =>
      trs.map((tr) => [tr.getAttribute("data-agency-name"), [...tr.querySelectorAll("[data-period]")].map((td) => [td.getAttribute("data-period"), parseInt(td.textContent!, 10)])]),
    );
    for (const [name, periods] of rows as [string, [string, number][]][]) {
      for (const [period, n] of periods) {
        expect(n).toBe(await app.db.negativeListEntry.count({ where: { status: "active", list: { period, agency: { shortName: name } } } }));
      }
    }
    expect(rows).toHaveLength(4);
  });

  it("draws the charts with the traffic-light colours", async () => {
    expect(await page.locator("[data-chart] canvas").count()).toBe(3);
    const expected = await expectedByAgency();
    const sum = (k: "onTrack" | "warning" | "late" | "done") => expected.reduce((s, e) => s + e[k], 0);
    const img = await chartPixels(page, "agencies", "province-agencies.png");
    const colours = { green: sum("onTrack") - sum("warning"), yellow: sum("warning"), red: sum("late"), done: sum("done") };
    expect(Object.values(colours).every((n) => n > 0)).toBe(true);
    for (const [name, n] of Object.entries(colours)) {
      expect(countColour(img, LIGHT_COLOR[name as keyof typeof LIGHT_COLOR]), `${name} bars`).toBeGreaterThan(n * 50);
    }
    for (const chart of ["negative", "trend"]) {
      const c = await chartPixels(page, chart, `province-${chart}.png`);
      const inked = c.rgba.length / 4 - countColour(c, "#ffffff", 8);
      expect(inked, `${chart} chart drawn`).toBeGreaterThan(2000);
    }
    await page.screenshot({ path: path.join(SHOTS, "province-phone.png"), fullPage: true });
  });

  it("fits the phone screen without sideways scrolling of the page", async () => {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.viewport.width);
    expect(await page.textContent("header h1")).toBe("2026年度目标绩效看板·全省");
  });

  it("leads from an agency's row to that agency's page", async () => {
    await page.click('#agency-table tr[data-agency="JYT"] a');
    await page.waitForSelector("body[data-charts-ready=true]");
    expect(await page.textContent("header h1")).toBe("省教育厅2026年度目标看板");
    expect(await page.locator("text=← 返回全省看板").count()).toBe(1);
  });

  it("looks right on a desk screen too (the README's screenshot)", async () => {
    const wide = await open(links.province, { width: 1200, height: 900 });
    const file = path.join(SHOTS, "province-desktop.png");
    await wide.screenshot({ path: file, fullPage: true });
    if (process.env.UPDATE_DOCS_SCREENSHOT === "1") copyFileSync(file, path.resolve("docs/board.png"));
    await wide.close();
  });
});

describe("an agency's board", () => {
  it("lists only its own targets, with lights, milestones and the latest reports", async () => {
    const page = await open(links.swj);
    const rules = loadRules(2026).warnings;
    const today = beijingDate(DEMO_NOW);
    const targets = await app.db.target.findMany({ where: { agency: { code: "SWJ" } }, include: { milestones: true }, orderBy: { code: "asc" } });
    const rows = await page.$$eval("#target-table tbody tr", (trs) =>
      trs.map((tr) => ({ code: tr.getAttribute("data-target"), light: tr.getAttribute("data-light"), progress: tr.querySelector('[data-k="progress"]')!.textContent })),
    );
    expect(rows).toEqual(targets.map((t) => ({ code: t.code, light: targetLight(t, today, rules).light, progress: `${t.progress}%` })));
    expect(await page.locator("#target-table details").count()).toBe(targets.length);
    expect(await page.textContent("ul.reports li")).toContain("蒙雪（代杨柳）｜90%");
    const html = await page.content();
    for (const other of ["FGW-", "JYT-", "NYT-", "省发改委", "省教育厅"]) expect(html).not.toContain(other);
    expect(await page.locator("[data-chart] canvas").count()).toBe(3);
    const pie = await chartPixels(page, "lights", "swj-lights.png");
    expect(countColour(pie, LIGHT_COLOR.red)).toBeGreaterThan(500);
    await page.screenshot({ path: path.join(SHOTS, "agency-phone.png"), fullPage: true });
    await page.close();
  });
});

/** Pairs of chart labels (data labels, axis labels, legend) drawn on top of each other, as their texts. */
async function overlappingLabels(page: Page, chart: string): Promise<{ labels: number; overlaps: string[][] }> {
  return page.evaluate((sel) => {
    type Rect = { x: number; y: number; width: number; height: number; applyTransform(m: unknown): void; clone(): Rect };
    type Text = { type: string; ignore?: boolean; invisible?: boolean; style?: { text?: string; opacity?: number }; getBoundingRect(): Rect; getComputedTransform(): unknown };
    const g = globalThis as unknown as { echarts: { getInstanceByDom(el: Element): { getZr(): { storage: { getDisplayList(update: boolean): Text[] } } } } };
    const el = document.querySelector(`[data-chart="${sel}"]`)!;
    const texts = g.echarts
      .getInstanceByDom(el)
      .getZr()
      .storage.getDisplayList(true)
      .filter((e) => (e.type === "tspan" || e.type === "text") && !e.ignore && !e.invisible && e.style?.text && (e.style.opacity ?? 1) > 0)
      .map((e) => {
        const r = e.getBoundingRect().clone();
        r.applyTransform(e.getComputedTransform());
        return { text: String(e.style!.text), r };
      });
    const pairs: string[][] = [];
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].r;
        const b = texts[j].r;
        // One pixel of touching is not an overlap a reader notices.
        if (a.x + 1 < b.x + b.width && b.x + 1 < a.x + a.width && a.y + 1 < b.y + b.height && b.y + 1 < a.y + a.height) pairs.push([texts[i].text, texts[j].text]);
      }
    return { labels: texts.length, overlaps: pairs };
  }, chart);
}

describe("an agency's board on a 390 px phone", () => {
  it("shows its negative lists, quarter by quarter, as the database has them", async () => {
    const page = await open(links.fgw);
    const lists = await app.db.negativeList.findMany({ where: { agency: { code: "FGW" } }, include: { entries: { where: { status: "active" } } }, orderBy: { period: "desc" } });
    expect(lists.length).toBeGreaterThan(0);
    const shown = await page.$$eval("#negative-lists [data-period]", (divs) => divs.map((d) => [d.getAttribute("data-period"), [...d.querySelectorAll("[data-entry]")].map((li) => li.getAttribute("data-entry"))]));
    expect(shown).toEqual(lists.map((l) => [l.period, l.entries.map((e) => e.seq).sort((a, b) => a - b).map((seq) => `${l.period}-${seq}`)]));
    expect(await page.textContent("#negative-lists")).toContain(`合计 ${lists[0].totalPoints} 分`);
    await page.close();
  });

  it("fits its key columns without sideways scrolling; state, owner and deadline go under the title", async () => {
    const page = await open(links.fgw);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.viewport.width);
    const wrap = await page.$eval("#target-table", (t) => ({ table: t.scrollWidth, wrap: t.parentElement!.clientWidth }));
    expect(wrap.table).toBeLessThanOrEqual(wrap.wrap);
    const visible = await page.$$eval("#target-table thead th", (ths) => ths.filter((th) => (th as HTMLElement).offsetParent !== null).map((th) => th.textContent));
    expect(visible).toEqual(["预警", "编号", "目标", "进度"]);
    expect(await page.locator("#target-table tbody tr").first().locator(".phone-only").textContent()).toMatch(/｜.+｜\d+月\d+日前$/);
    await page.close();
  });

  it("draws no chart label on top of another", { timeout: 90_000 }, async () => {
    const agency = await open(links.fgw);
    for (const chart of ["lights", "progress", "trend"]) {
      const { labels, overlaps } = await overlappingLabels(agency, chart);
      expect(labels, chart).toBeGreaterThan(3);
      expect(overlaps, chart).toEqual([]);
    }
    await agency.close();
    const province = await open(links.province);
    const charts = await province.$$eval("[data-chart]", (els) => els.map((e) => e.getAttribute("data-chart")!));
    for (const chart of charts) expect((await overlappingLabels(province, chart)).overlaps, chart).toEqual([]);
    await province.close();
  });
});

describe("links that must not open", () => {
  async function refused(url: string): Promise<string> {
    const page = await browser.newPage(PHONE);
    const res = await page.goto(url);
    expect(res?.status()).toBe(403);
    const text = (await page.textContent("#refusal"))!;
    expect(await page.locator("[data-chart]").count()).toBe(0);
    await page.close();
    return text;
  }

  it("refuses an expired link", async () => {
    app.clock.set(new Date(DEMO_NOW.getTime() + 24 * 3600_000 + 1000));
    try {
      expect(await refused(links.province)).toBe("链接已过期。");
    } finally {
      app.clock.set(DEMO_NOW);
    }
  });

  it("refuses a tampered link: another agency's number or a changed expiry", async () => {
    const fgw = await app.db.agency.findUniqueOrThrow({ where: { code: "FGW" } });
    const jyt = await app.db.agency.findUniqueOrThrow({ where: { code: "JYT" } });
    expect(await refused(links.fgw.replace(`.a${fgw.id}.`, `.a${jyt.id}.`))).toBe("链接无效或已被修改。");
    expect(await refused(links.fgw.replace(/(t=v1\.a\d+\.)(\d+)/, (_, head, e) => `${head}${Number(e) + 3600}`))).toBe("链接无效或已被修改。");
    expect(await refused(`${app.url}/board`)).toBe("链接无效，请确认链接完整。");
  });

  it("refuses an agency link asking for another agency's page", async () => {
    const token = new URL(links.fgw).searchParams.get("t")!;
    expect(await refused(`${app.url}/board/agency/JYT?t=${encodeURIComponent(token)}`)).toBe("该链接无权查看其他单位的数据。");
    expect(await refused(`${app.url}/board/agency/NOPE?t=${encodeURIComponent(token)}`)).toBe("该链接无权查看其他单位的数据。");
  });
});
