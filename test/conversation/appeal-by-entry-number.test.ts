import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { agencyPage } from "../../src/board/agency-page.js";
import { agencyBoard } from "../../src/board/data.js";
import { loadRules } from "../../src/domain/rules.js";
import type { CardReply, FileReply } from "../../src/messages/reply.js";
import { DEMO_NOW, demoProvince } from "../helpers/province.js";

/**
 * 负面清单 entries (§2.23) are numbered within their list (1, 2, 3 … of 2026Q3), and 申诉 (§5.3e)
 * names an entry by that number with its quarter, or by the target's code — never by a number that
 * could reach into another quarter's list. The demo's Q3 list went out on 5 October.
 */
let p: Awaited<ReturnType<typeof demoProvince>>;
const IN_WINDOW = new Date("2026-10-12T02:00:00Z");

const fgwList = (period: string) =>
  p.db.negativeList.findFirstOrThrow({ where: { period, agency: { code: "FGW" } }, include: { entries: { include: { target: true }, orderBy: { seq: "asc" } } } });

beforeAll(async () => {
  p = await demoProvince("appeal-by-number");
  p.clock.set(IN_WINDOW);
});
afterAll(async () => p.db.$disconnect());

describe("entries numbered within each list", () => {
  it("the head's list numbers its entries 1, 2, 3 … and shows the appeal form with the quarter", async () => {
    const list = await fgwList("2026Q3");
    expect(list.entries.map((e) => e.seq)).toEqual(list.entries.map((_, i) => i + 1));
    const answer = await p.chat.say("fgw_head", "负面清单 2026Q3");
    for (const e of list.entries) expect(answer).toContain(`\n${e.seq}. ${e.reason}`);
    expect(answer).toContain("申诉 2026Q3-<条目号> <理由>");
    const card = p.chat.last.find((r): r is CardReply => r.kind === "card")!;
    expect(card.card.actions.map((a) => a.command)).toEqual(list.entries.slice(0, 6).map((e) => `申诉 2026Q3-${e.seq}`));
    expect(card.card.actions[0].label).toBe("申诉第 1 项");
  });

  it("the office's export numbers entries the same way", async () => {
    const list = await fgwList("2026Q3");
    const replies = await p.chat.send("mbb_zhang", { type: "text", text: "导出 负面清单 2026Q3" });
    const file = replies.find((r): r is FileReply => r.kind === "file")!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.base64, "base64") as never);
    const rows: unknown[][] = [];
    wb.getWorksheet("明细")!.eachRow((row, n) => void (n > 2 && rows.push((row.values as unknown[]).slice(1))));
    const fgw = rows.filter((r) => r[0] === "省发改委");
    expect(fgw.map((r) => [r[1], r[2]])).toEqual(list.entries.map((e) => [e.seq, e.target.code]));
  });
});

describe("entries numbered on the agency's board", () => {
  it("lists the agency's entries under the same numbers, with the quarter", async () => {
    const list = await fgwList("2026Q3");
    const cycle = await p.db.cycle.findFirstOrThrow({ where: { year: 2026 } });
    const board = (await agencyBoard(p.db, cycle, list.agencyId, p.clock.now(), loadRules(2026).warnings))!;
    const html = agencyPage(board, { asOf: "10月12日 10:00", expires: "10月13日 10:00", timeText: (d) => d.toISOString(), backLink: null });
    for (const e of list.entries) expect(html).toContain(`<li data-entry="2026Q3-${e.seq}">2026Q3-${e.seq}｜${e.reason}｜${e.points} 分</li>`);
  });
});

describe("申诉 by quarter and entry number", () => {
  it("申诉 2026Q3-1 files against entry 1 of the Q3 list", async () => {
    const [first] = (await fgwList("2026Q3")).entries;
    const answer = await p.chat.say("fgw_head", "申诉 2026Q3-1 该节点已于9月29日完成，佐证已上传台账");
    expect(answer).toMatch(/^申诉已提交（申诉号 \d+）/);
    const appeal = await p.db.appeal.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(appeal.negativeEntryId).toBe(first.id);
    const notice = await p.db.outboxMessage.findFirstOrThrow({ where: { idempotencyKey: { startsWith: `appeal-filed:${appeal.id}:` } } });
    expect(JSON.parse(notice.payload).text).toContain(`对2026年第三季度负面清单第 1 项（${first.target.code}）提出申诉`);
  });

  it("申诉 2026Q3 2 (quarter and number apart) files against entry 2, asking for the reason first", async () => {
    const second = (await fgwList("2026Q3")).entries[1];
    expect(await p.chat.say("fgw_officer", "申诉 2026Q3 2")).toBe("请写明对“2026年第三季度负面清单第 2 项”的申诉理由（事实和依据）：");
    expect(await p.chat.say("fgw_officer", "上级文件调整了该节点的时限")).toMatch(/^申诉已提交/);
    expect((await p.db.appeal.findFirstOrThrow({ orderBy: { id: "desc" } })).negativeEntryId).toBe(second.id);
  });

  it("a bare database-wide number is refused, with the quarter form to use", async () => {
    const q3 = await fgwList("2026Q3");
    const before = await p.db.appeal.count();
    const answer = await p.chat.say("fgw_head", `申诉 ${q3.entries[0].id} 理由写在这里`);
    expect(answer).toContain("请写明季度和条目号，例如：申诉 2026Q3-1 <理由>");
    expect(await p.db.appeal.count()).toBe(before);
  });

  it("the same number with another quarter is that quarter's entry, whose window has closed", async () => {
    const answer = await p.chat.say("fgw_head", "申诉 2026Q1-1 第一季度的事项");
    expect(answer).toContain("2026年第一季度负面清单第 1 项的申诉期");
    expect(answer).toContain("已过");
  });

  it("a number the list does not have is refused", async () => {
    expect(await p.chat.say("fgw_head", "申诉 2026Q3-99 没有这一项")).toContain("2026年第三季度负面清单没有第 99 项");
  });
});

describe("申诉 by target code", () => {
  it("files against the target's entry when it has one whose window is open", async () => {
    const third = (await fgwList("2026Q3")).entries[2];
    const answer = await p.chat.say("fgw_head", `申诉 ${third.target.code} 该目标节点已按期完成`);
    expect(answer).toContain(`目标 ${third.target.code} 列入2026年第三季度负面清单第 3 项，已按该项提交申诉`);
    expect((await p.db.appeal.findFirstOrThrow({ orderBy: { id: "desc" } })).negativeEntryId).toBe(third.id);
  });

  it("files against the target itself when it has no entry, and accepting it says what it changes", async () => {
    const listed = new Set((await p.db.negativeListEntry.findMany({ select: { targetId: true } })).map((e) => e.targetId));
    const free = await p.db.target.findFirstOrThrow({ where: { agency: { code: "FGW" }, id: { notIn: [...listed] }, status: { not: "draft" } }, orderBy: { code: "asc" } });
    expect(await p.chat.say("fgw_head", `申诉 ${free.code} 该目标的完成标准与文件不一致`)).toMatch(/^申诉已提交/);
    const appeal = await p.db.appeal.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(appeal).toMatchObject({ subjectType: "target", negativeEntryId: null });
    const question = await p.chat.say("mbb_zhang", `受理 ${appeal.id} 同意 完成标准按新文件执行`);
    expect(question).toContain(`本申诉针对目标 ${free.code} 本身，不在任何负面清单中：同意后负面清单、目标状态和台账均不自动变更`);
    const done = await p.chat.say("mbb_zhang", "确认");
    expect(done).toContain(`已同意申诉 ${appeal.id}`);
    const notice = await p.db.outboxMessage.findFirstOrThrow({ where: { idempotencyKey: `appeal-decided:${appeal.id}:${appeal.filerId}` } });
    expect(JSON.parse(notice.payload).text).toContain("负面清单、目标状态和台账均不自动变更");
  });

  it("accepting a target appeal whose target has an entry routes the appellant to the entry", async () => {
    const jyt = await p.db.negativeList.findFirstOrThrow({ where: { period: "2026Q3", agency: { code: "JYT" } }, include: { entries: { include: { target: true }, orderBy: { seq: "asc" } } } });
    const [first] = jyt.entries;
    // A target appeal filed before the list existed: the office's record is written as the bot would have.
    const filer = await p.db.user.findFirstOrThrow({ where: { account: "jyt_officer" } });
    const appeal = await p.db.appeal.create({ data: { agencyId: jyt.agencyId, filerId: filer.id, subjectType: "target", targetId: first.targetId, reason: "目标考核口径有误", filedAt: IN_WINDOW } });
    const question = await p.chat.say("mbb_zhang", `受理 ${appeal.id} 同意 口径已更正`);
    expect(question).toMatch(new RegExp(`目标 ${first.target.code} 列入[^；]*2026年第三季度负面清单第 1 项（-0.5 分），同意本申诉不撤销`));
    await p.chat.say("mbb_zhang", "确认");
    const notice = await p.db.outboxMessage.findFirstOrThrow({ where: { idempotencyKey: `appeal-decided:${appeal.id}:${filer.id}` } });
    expect(JSON.parse(notice.payload).text).toContain("如对该项有异议，请于 10月20日（含）前发送：申诉 2026Q3-1 <理由>");
  });
});

describe("an appeal card whose window has closed", () => {
  it("says so when opened and accepts no clicks", async () => {
    p.clock.set(IN_WINDOW);
    await p.chat.say("nyt_head", "负面清单 2026Q3");
    const card = p.chat.last.find((r): r is CardReply => r.kind === "card")!;
    p.clock.set(DEMO_NOW);
    const before = await p.db.appeal.count();
    const answer = await p.chat.click("nyt_head", card.card.key, card.card.actions[0].key);
    expect(answer).toContain("申诉期已于 10月20日 结束，本卡片不再受理申诉");
    expect(p.chat.last[0]).toEqual({ kind: "card-update", cardKey: card.card.key, status: "申诉期已过" });
    expect(await p.chat.click("nyt_head", card.card.key, card.card.actions[1].key)).toContain("申诉期已于 10月20日 结束");
    expect(await p.db.appeal.count()).toBe(before);
    expect((await p.db.cardInstance.findUniqueOrThrow({ where: { cardKey: card.card.key } })).state).toBe("done");
  });

  it("is not offered with the list once the window has closed; the list says the window is over", async () => {
    p.clock.set(DEMO_NOW);
    const answer = await p.chat.say("nyt_head", "负面清单 2026Q3");
    expect(answer).toContain("申诉期已于 10月20日 结束");
    expect(p.chat.last.some((r) => r.kind === "card")).toBe(false);
  });
});
