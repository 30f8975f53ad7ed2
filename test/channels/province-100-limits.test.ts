import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DINGTALK_LIMIT, MSG_PARAM_MAX_BYTES, splitForDingtalk, toRobotMessage, toWebhookMessage, WEBHOOK_BODY_MAX_BYTES } from "../../src/channels/dingtalk/render.js";
import { splitReply } from "../../src/channels/split.js";
import { CONTENT_MAX_BYTES, MAX_PARTS as WECOM_MAX_PARTS, renderCard, renderTextual, WECOM_LIMIT } from "../../src/channels/wecom/render.js";
import { planReplies } from "../../src/channels/wecom/passive.js";
import { loadSettings } from "../../src/config/settings.js";
import { createCore } from "../../src/conversation/create-core.js";
import type { MarkdownReply, Reply, TextReply } from "../../src/messages/reply.js";
import { fromBeijingDate } from "../../src/domain/calendar/calendar.js";
import { computeNegativeLists, storeNegativeLists } from "../../src/domain/negative-list/negative-list.js";
import { loadRules } from "../../src/domain/rules.js";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { createLogger } from "../../src/infra/logger.js";
import { chatWith } from "../helpers/chat.js";
import { freshDb } from "../helpers/db.js";
import { at, makeCycle, makeOffice } from "../jobs/province.js";

/**
 * A province of 100 agencies: every list a command answers with is long. Each command's largest
 * reply, rendered for WeCom (2,048 bytes per text or markdown, doc 90236) and for DingTalk (msgParam
 * 15,000 bytes, webhook body 20,000 bytes), stays within the limits, loses no line silently and is
 * never cut inside a line.
 */
const AGENCIES = 100;
let db: Db;
let chat: ReturnType<typeof chatWith>;

beforeAll(async () => {
  const fresh = await freshDb("province-100");
  db = fresh.db;
  const clock = new FixedClock(at("2026-11-20", "10:00"));
  const cycle = await makeCycle(db);
  await makeOffice(db, ["office1"]);
  await db.user.create({ data: { account: "assessor1", name: "第三方", role: "assessor", identities: { create: { platform: "console", externalId: "assessor1" } } } });
  for (let i = 1; i <= AGENCIES; i++) {
    const code = `A${String(i).padStart(3, "0")}`;
    await db.agency.create({
      data: {
        code,
        name: `贵州省第${i}测试厅（局）`,
        shortName: `第${i}测试厅`,
        managementType: i % 2 ? "direct" : "entrusted",
        users: {
          create: [
            { account: `${code}_head`, name: `负责人${i}`, role: "head", identities: { create: { platform: "console", externalId: `${code}_head` } } },
            { account: `${code}_officer`, name: `目标办${i}`, role: "officer", identities: { create: { platform: "console", externalId: `${code}_officer` } } },
          ],
        },
      },
    });
  }
  // One agency with many targets (its head's 我的目标, its officer's 逾期), the rest with three each;
  // every target missed its Q3 milestone, so 逾期 and the negative lists are as long as they get.
  const agencies = await db.agency.findMany({ orderBy: { id: "asc" } });
  for (const [i, agency] of agencies.entries()) {
    const owner = await db.user.create({ data: { account: `${agency.code}_staff`, name: `责任人${i + 1}`, role: "staff", agencyId: agency.id, identities: { create: { platform: "console", externalId: `${agency.code}_staff` } } } });
    const count = i === 0 ? 60 : 3;
    for (let n = 1; n <= count; n++) {
      await db.target.create({
        data: {
          code: `${agency.code}-${String(n).padStart(2, "0")}`,
          cycleId: cycle.id,
          agencyId: agency.id,
          category: "functional",
          source: "local",
          title: `推进第${n}项重点改革任务并形成可核查的阶段成果材料`,
          deadline: fromBeijingDate("2026-12-20"),
          status: "issued",
          progress: 40,
          issuedAt: fromBeijingDate("2026-03-10"),
          owners: { create: [{ userId: owner.id }] },
          milestones: {
            create: [1, 2, 3].map((q) => ({ quarter: q, dueOn: fromBeijingDate(["2026-03-31", "2026-06-30", "2026-09-30"][q - 1]), description: `完成第${q}季度阶段任务`, expectedProgress: q * 25 })),
          },
        },
      });
    }
  }
  const rules = loadRules(2026);
  const q = { year: 2026, quarter: 3 as const };
  const lists = await computeNegativeLists(db, q, rules);
  await storeNegativeLists(db, cycle.id, q, lists, at("2026-10-05"));
  const settings = loadSettings({ NODE_ENV: "test", DATABASE_URL: fresh.url, LOG_LEVEL: "silent" });
  chat = chatWith(createCore({ settings, db, clock, log: createLogger("silent") }), clock);
}, 600_000);
afterAll(async () => db?.$disconnect());

/** Every command, as the role whose answer is the longest. */
const LARGEST: [account: string, command: string][] = [
  ["office1", "帮助"],
  ["assessor1", "帮助"],
  ["A001_officer", "帮助"],
  ["A001_head", "帮助"],
  ["A001_staff", "帮助"],
  ["office1", "帮助 导出"],
  ["office1", "统计"],
  ["office1", "逾期"],
  ["assessor1", "逾期"],
  ["A001_officer", "逾期"],
  ["office1", "未报"],
  ["A001_officer", "未报"],
  ["office1", "查询 A001"],
  ["office1", "负面清单 2026Q3"],
  ["office1", "负面清单 2026Q3 A001"],
  ["A001_head", "负面清单 2026Q3"],
  ["A001_head", "我的目标"],
  ["A001_staff", "我的目标"],
  ["A001_staff", "汇报"],
  ["office1", "目标 A001-01"],
  ["office1", "台账 A001-01"],
  ["office1", "审核"],
  ["office1", "申诉列表 全部"],
  ["office1", "回复"],
  ["office1", "看板"],
  ["A001_officer", "提醒未报"],
];

const bytes = (s: string) => Buffer.byteLength(s, "utf8");
const LABEL = /^（\d+\/\d+）$/;
const NOTE = /^……其余 \d+ 行未显示。/;

/** Each part's lines, without its number and the overflow note, are whole lines of the original, in order. */
function expectWholeLines(original: TextReply | MarkdownReply, parts: (TextReply | MarkdownReply)[]) {
  const source = original.text.split("\n");
  const h = source.findIndex((l, i) => l.startsWith("|") && /^\|\s*:?-{3}/.test(source[i + 1] ?? ""));
  const shown = parts.flatMap((p, i) => {
    if (parts.length === 1) return p.text.split("\n");
    const body = p.text.split("\n").filter((l) => !LABEL.test(l) && !NOTE.test(l));
    // A table's header repeats at the top of each later part.
    return i > 0 && h >= 0 && body[0] === source[h] && body[1] === source[h + 1] ? body.slice(2) : body;
  });
  expect(shown).toEqual(source.slice(0, shown.length));
  if (shown.length < source.length) expect(parts.at(-1)!.text.split("\n").at(-1)).toMatch(NOTE);
}

function checkWecom(reply: Reply) {
  if (reply.kind === "text" || reply.kind === "markdown") {
    const bodies = renderTextual(reply);
    expect(bodies.length).toBeLessThanOrEqual(WECOM_MAX_PARTS);
    for (const b of bodies) {
      const content = b.msgtype === "text" ? b.text.content : b.markdown.content;
      expect(bytes(content)).toBeLessThanOrEqual(CONTENT_MAX_BYTES);
      expect(content.endsWith("…")).toBe(false);
    }
    const plan = planReplies([reply]);
    if (plan.passive?.type === "text") expect(bytes(plan.passive.content)).toBeLessThanOrEqual(CONTENT_MAX_BYTES);
  } else if (reply.kind === "card") {
    expect(() => renderCard(reply.card)).not.toThrow();
  }
}

function checkDingtalk(reply: Reply) {
  if (reply.kind !== "text" && reply.kind !== "markdown") return;
  const parts = splitForDingtalk(reply);
  expect(parts.length).toBeLessThanOrEqual(DINGTALK_LIMIT.maxParts);
  for (const p of parts) {
    expect(bytes(JSON.stringify(toRobotMessage(p).msgParam))).toBeLessThanOrEqual(MSG_PARAM_MAX_BYTES);
    expect(bytes(JSON.stringify(toWebhookMessage(p, "someone")))).toBeLessThanOrEqual(WEBHOOK_BODY_MAX_BYTES);
    expect(p.text.includes("（内容过长，已截断）")).toBe(false);
  }
  expectWholeLines(reply, parts);
}

describe(`a province of ${AGENCIES} agencies: every reply fits WeCom and DingTalk`, () => {
  it.each(LARGEST)("%s: %s", async (account, command) => {
    await chat.say(account, command);
    const replies = chat.last;
    expect(replies.length).toBeGreaterThan(0);
    for (const r of replies) {
      checkWecom(r);
      checkDingtalk(r);
      if (r.kind === "text" || r.kind === "markdown") expectWholeLines(r, splitReply<TextReply | MarkdownReply>(r, WECOM_LIMIT));
    }
  });

  it("帮助 fits one WeCom message for every role, listing names by group", async () => {
    for (const account of ["office1", "assessor1", "A001_officer", "A001_head", "A001_staff"]) {
      await chat.say(account, "帮助");
      const [help] = chat.last as MarkdownReply[];
      expect(renderTextual(help)).toHaveLength(1);
      expect(help.text).toMatch(/\*\*目标与汇报\*\*：/);
    }
  });

  it("全省统计 of 100 agencies goes out in numbered parts, every agency shown", async () => {
    await chat.say("office1", "统计");
    const reply = chat.last.find((r): r is MarkdownReply | TextReply => r.kind === "markdown" || r.kind === "text")!;
    const parts = renderTextual(reply);
    expect(parts.length).toBeGreaterThan(1);
    const contents = parts.map((b) => (b.msgtype === "text" ? b.text.content : b.markdown.content));
    for (let i = 1; i <= AGENCIES; i++) expect(contents.join("\n")).toContain(`| 第${i}测试厅 |`);
    for (const c of contents) expect(c).toContain("| 单位 | 已下达 | 正常推进 | 逾期 | 已完成 | 预警 |");
  });
});
