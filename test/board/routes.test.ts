import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBoardToken } from "../../src/board/link.js";
import { seedDemoProvince } from "../../src/demo/seed.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { chatWith } from "../helpers/chat.js";
import { freshDb } from "../helpers/db.js";
import { DEMO_NOW } from "../helpers/province.js";

/** The board's HTTP surface without a browser: assets, headers, escaping and refusals. */
let app: TestApp;
const SECRET = "board-test-secret";
beforeAll(async () => {
  const { db, url } = await freshDb("board-routes");
  await seedDemoProvince(db, { now: DEMO_NOW });
  app = await startTestApp({ db: { db, url }, now: DEMO_NOW, env: { LINK_SECRET: SECRET, BOARD_LINK_TTL_HOURS: "2" } });
});
afterAll(async () => app.close());

const later = (h: number) => new Date(DEMO_NOW.getTime() + h * 3600_000);
const get = (path: string) => fetch(`${app.url}${path}`);
const boardPath = (token: string) => `/board?t=${encodeURIComponent(token)}`;

describe("the board over HTTP", () => {
  it("serves ECharts and its own script from the bot", async () => {
    const echarts = await get("/board/assets/echarts.min.js");
    expect(echarts.status).toBe(200);
    expect(echarts.headers.get("content-type")).toContain("javascript");
    expect((await echarts.text()).length).toBeGreaterThan(500_000);
    const script = await get("/board/assets/board.js");
    expect(await script.text()).toContain("data-charts-ready");
  });

  it("answers a valid link with a private, uncached Chinese page", async () => {
    const res = await get(boardPath(signBoardToken({ kind: "province" }, later(1), SECRET)));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('name="viewport" content="width=device-width');
    expect(html).toContain("2026年度目标绩效看板·全省");
  });

  it("signs with LINK_SECRET and the TTL from the settings", async () => {
    const devSecret = signBoardToken({ kind: "province" }, later(1), "dev-only-link-secret");
    expect((await get(boardPath(devSecret))).status).toBe(403);
    const answer = await chatWith(app.app.core, app.clock).say("fgw_officer", "看板");
    expect(answer).toContain("链接有效期至 11月20日 12:00");
    const link = new URL(/\((http:\/\/[^)]+)\)/.exec(answer)![1]);
    expect((await get(`${link.pathname}${link.search}`)).status).toBe(200);
  });

  it("escapes what people typed into targets", async () => {
    const t = await app.db.target.findFirstOrThrow({ where: { code: "FGW-02" } });
    await app.db.target.update({ where: { id: t.id }, data: { title: '<img src=x onerror="alert(1)">调度</script>' } });
    const html = await (await get(boardPath(signBoardToken({ kind: "agency", agencyId: t.agencyId }, later(1), SECRET)))).text();
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;调度&lt;/script&gt;");
    expect(html).not.toMatch(/<\/script>调度/);
  });

  it("refuses expired, tampered and missing tokens with 403 and no data", async () => {
    const expired = await get(boardPath(signBoardToken({ kind: "province" }, later(-0.01), SECRET)));
    expect(expired.status).toBe(403);
    const body = await expired.text();
    expect(body).toContain("链接已过期。");
    expect(body).not.toContain("省发改委");
    expect((await get(boardPath("v1.p.99999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))).status).toBe(403);
    expect((await get("/board?t=")).status).toBe(403);
    expect((await get("/board/agency/FGW")).status).toBe(403);
  });
});
