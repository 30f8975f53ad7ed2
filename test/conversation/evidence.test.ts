import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReply } from "../../src/channels/console/render.js";
import { demoProvince } from "../helpers/province.js";

const EVIDENCE_DIR = path.resolve("test/.tmp/evidence");
let p: Awaited<ReturnType<typeof demoProvince>>;
beforeAll(async () => {
  p = await demoProvince("evidence", { EVIDENCE_DIR });
});
afterAll(async () => p.db.$disconnect());

describe("佐证材料 for the 台账 (§7.3)", () => {
  it("refuses evidence before any report", async () => {
    expect(await p.chat.say("fgw_zhao", "佐证 FGW-05 https://oa.gz.gov.cn/doc/1 调研报告")).toContain("未找到您 24 小时内的进度汇报");
  });

  it("attaches a link to the speaker's latest report on the target, shown in the 台账", async () => {
    await p.chat.say("fgw_zhao", "汇报 FGW-05 88 迎峰度冬保供方案已印发");
    expect(await p.chat.say("fgw_zhao", "佐证 FGW-05 https://oa.gz.gov.cn/doc/123 保供方案印发通知")).toMatch(/已为目标 FGW-05 台账记录 \d+ 补充佐证材料/);
    expect(await p.chat.say("fgw_head", "台账 FGW-05")).toContain("佐证：保供方案印发通知");
    expect(await p.chat.say("fgw_zhao", "佐证 FGW-05 不是链接")).toContain("不是有效的链接");
  });

  it("keeps a sent file by its hash and attaches it to the latest report", async () => {
    const content = Buffer.from("第三季度调研报告（扫描件）");
    const replies = await p.chat.send("fgw_zhao", { type: "file", fileName: "调研报告.pdf", fetch: async () => content });
    expect(replies.map((r) => renderReply(r, () => 0)).join("")).toMatch(/已将“调研报告.pdf”作为目标 FGW-05 台账记录 \d+ 的佐证材料/);
    const row = await p.db.reportEvidence.findFirstOrThrow({ where: { kind: "file" } });
    expect(row.name).toBe("调研报告.pdf");
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(row.ref)).toBe(true);
    expect(readFileSync(row.ref)).toEqual(content);
    // Issue 14: in the database too, so another instance (without this disk) reads the same bytes.
    const blob = await p.db.evidenceBlob.findUniqueOrThrow({ where: { sha256: row.sha256! } });
    expect(Buffer.from(blob.content)).toEqual(content);
  });

  it("is not for heads, and their files are not downloaded", async () => {
    let fetched = false;
    const replies = await p.chat.send("fgw_head", { type: "file", fileName: "x.pdf", fetch: async () => ((fetched = true), Buffer.from("x")) });
    expect(replies.map((r) => renderReply(r, () => 0)).join("")).toContain("仅限省目标办");
    expect(fetched).toBe(false);
    expect(await p.chat.say("fgw_head", "佐证 FGW-05 https://oa.gz.gov.cn/doc/9")).toContain("仅供");
  });
});
