import { describe, expect, it } from "vitest";
import { planReplies } from "../../src/channels/wecom/passive.js";
import { CONTENT_MAX_BYTES, MAX_PARTS, renderTextual, splitForWecom } from "../../src/channels/wecom/render.js";
import { DEFAULT_MORE } from "../../src/channels/split.js";
import type { MarkdownReply, TextReply } from "../../src/messages/reply.js";

const bytes = (s: string) => Buffer.byteLength(s, "utf8");
const lines = (n: number) => Array.from({ length: n }, (_, i) => `· 测试单位${String(i + 1).padStart(3, "0")}：已下达 12 项，正常推进 9 项，逾期 2 项，已完成 1 项`);

describe("WeCom caps a text or markdown message at 2,048 bytes (doc 90236): long replies go out in numbered parts", () => {
  it("a reply within the limit is sent as it is, without a number", () => {
    const r: TextReply = { kind: "text", text: "统计\n· 一行" };
    expect(splitForWecom(r)).toEqual([r]);
  });

  it("60 lines of 100 bytes become parts of at most 2,048 bytes, cut at line ends, each numbered, none lost", () => {
    const all = lines(60);
    const parts = splitForWecom({ kind: "markdown", title: "全省统计", text: all.join("\n") }) as MarkdownReply[];
    expect(parts.length).toBeGreaterThan(2);
    parts.forEach((p, i) => expect(p.text.split("\n")[0]).toBe(`（${i + 1}/${parts.length}）`));
    expect(parts.flatMap((p) => p.text.split("\n").slice(1))).toEqual(all);
    for (const body of renderTextual({ kind: "markdown", title: "全省统计", text: all.join("\n") })) {
      expect(body.msgtype).toBe("markdown");
      if (body.msgtype === "markdown") {
        expect(bytes(body.markdown.content)).toBeLessThanOrEqual(CONTENT_MAX_BYTES);
        expect(body.markdown.content.endsWith("…")).toBe(false);
      }
    }
  });

  it("beyond 8 parts the last part says how many lines were left out and where to get them all", () => {
    const all = lines(400);
    const parts = splitForWecom({ kind: "text", text: all.join("\n"), more: "发送“导出 统计”获取全部内容的 Excel 文件。" }) as TextReply[];
    expect(parts).toHaveLength(MAX_PARTS);
    const shown = parts.flatMap((p) => p.text.split("\n").slice(1));
    const note = shown.pop()!;
    expect(all.slice(0, shown.length)).toEqual(shown);
    expect(note).toBe(`……其余 ${400 - shown.length} 行未显示。发送“导出 统计”获取全部内容的 Excel 文件。`);
    for (const p of parts) expect(bytes(p.text)).toBeLessThanOrEqual(CONTENT_MAX_BYTES);
  });

  it("without a specific way, the note offers a narrower query or 导出", () => {
    const parts = splitForWecom({ kind: "text", text: lines(400).join("\n") }) as TextReply[];
    expect(parts.at(-1)!.text.endsWith(DEFAULT_MORE)).toBe(true);
  });

  it("the passive reply carries the first part as plain text; the other parts follow in order, before later replies", () => {
    const all = lines(60);
    const plan = planReplies([{ kind: "markdown", title: "全省统计", text: all.join("\n") }, { kind: "text", text: "下一条" }]);
    expect(plan.passive?.type).toBe("text");
    if (plan.passive?.type === "text") {
      expect(bytes(plan.passive.content)).toBeLessThanOrEqual(CONTENT_MAX_BYTES);
      expect(plan.passive.content).toContain("（1/");
    }
    expect(plan.rest.at(-1)).toEqual({ kind: "text", text: "下一条" });
    expect((plan.rest[0] as MarkdownReply).text.split("\n")[0]).toMatch(/^（2\/\d）$/);
  });
});
