import { describe, expect, it } from "vitest";
import type { Card } from "../../../src/messages/reply.js";
import { planReplies } from "../../../src/channels/wecom/passive.js";
import {
  decodeTaskId,
  encodeTaskId,
  markdownToPlain,
  renderCard,
  renderMarkdown,
  renderText,
  truncateBytes,
  visibleOptions,
  WecomRenderError,
} from "../../../src/channels/wecom/render.js";

const reportCard: Card = {
  key: "report-FGW-03-2026Q2",
  title: "季度目标进度汇报：FGW-03 重点项目建设",
  description: "请选择本季度完成进度",
  fields: [
    { label: "目标", value: "重点项目建设" },
    { label: "截止", value: "2026-06-30" },
  ],
  actions: [
    { key: "submit", label: "提交", style: "primary", command: "汇报 FGW-03 {progress}" },
    { key: "later", label: "稍后", command: "取消" },
  ],
};

describe("rendering replies for WeCom (doc 90236)", () => {
  it("cuts text to 2048 UTF-8 bytes without splitting a character", () => {
    const long = "进度".repeat(1000); // 6000 bytes
    const body = renderText(long);
    expect(Buffer.byteLength(body.text.content)).toBeLessThanOrEqual(2048);
    expect(body.text.content.endsWith("…")).toBe(true);
    expect(body.text.content).not.toContain("\uFFFD");
    expect(truncateBytes("short", 2048)).toBe("short");
  });

  it("heads markdown with its title unless the text already starts with it", () => {
    expect(renderMarkdown({ kind: "markdown", title: "负面清单", text: "- 一项" }).markdown.content).toBe("### 负面清单\n- 一项");
    expect(renderMarkdown({ kind: "markdown", title: "负面清单", text: "## 负面清单\n- 一项" }).markdown.content).toBe("## 负面清单\n- 一项");
    expect(Buffer.byteLength(renderMarkdown({ kind: "markdown", title: "t", text: "字".repeat(3000) }).markdown.content)).toBeLessThanOrEqual(2048);
  });

  it("flattens markdown to plain text for passive replies", () => {
    const plain = markdownToPlain({ kind: "markdown", title: "帮助", text: "### 命令\n**汇报** `编号` 见[说明](https://x.example)\n> 引用" });
    expect(plain).toBe("帮助\n命令\n汇报 编号 见说明（https://x.example）\n引用");
  });

  it("renders a card without selects as button_interaction", () => {
    const { template_card: c } = renderCard({ ...reportCard, key: "ok_key-1" });
    expect(c).toMatchObject({
      card_type: "button_interaction",
      task_id: "ok_key-1",
      main_title: { title: "季度目标进度汇报：FGW-03 重点项目建设", desc: "请选择本季度完成进度" },
      horizontal_content_list: [
        { keyname: "目标", value: "重点项目建设" },
        { keyname: "截止", value: "2026-06-30" },
      ],
      button_list: [
        { text: "提交", style: 1, key: "submit" },
        { text: "稍后", style: 2, key: "later" },
      ],
    });
  });

  it("renders a card with selects as multiple_interaction with the first action as submit", () => {
    const card: Card = { ...reportCard, selects: [{ key: "progress", label: "完成进度", options: [{ id: "50", label: "50%" }, { id: "100", label: "100%" }], selected: "50" }] };
    const { template_card: c } = renderCard(card);
    expect(c).toMatchObject({
      card_type: "multiple_interaction",
      select_list: [{ question_key: "progress", title: "完成进度", selected_id: "50", option_list: [{ id: "50", text: "50%" }, { id: "100", text: "100%" }] }],
      submit_button: { text: "提交", key: "submit" },
    });
    expect(String((c.main_title as { desc: string }).desc).length).toBeLessThanOrEqual(44);
  });

  it("maps any card key to a valid task_id and back", () => {
    for (const k of ["plain_Key-1", "report:FGW-03:2026Q2", "汇报卡片/1", "@starts-with-at"]) {
      const id = encodeTaskId(k);
      expect(id).toMatch(/^[0-9A-Za-z_\-@]{1,128}$/);
      expect(decodeTaskId(id)).toBe(k);
    }
    expect(() => encodeTaskId("x:".repeat(60))).toThrow(WecomRenderError);
  });

  it("refuses cards WeCom would reject rather than sending them broken", () => {
    expect(() => renderCard({ ...reportCard, actions: [] })).toThrow(WecomRenderError);
    const seven = Array.from({ length: 7 }, (_, i) => ({ key: `k${i}`, label: `b${i}`, command: "x" }));
    expect(() => renderCard({ ...reportCard, actions: seven })).toThrow(/6 buttons/);
    expect(() => renderCard({ ...reportCard, selects: [{ key: "p", label: "p", options: [] }] })).toThrow(/option/);
  });

  it("windows a select longer than WeCom's 10 options around the preselected one", () => {
    const steps = Array.from({ length: 11 }, (_, i) => ({ id: String(i * 10), label: `${i * 10}%` }));
    const ids = (selected?: string) => visibleOptions({ key: "progress", label: "进度", options: steps, selected }).map((o) => o.id);
    expect(ids("90")).toEqual(["10", "20", "30", "40", "50", "60", "70", "80", "90", "100"]);
    expect(ids("0")).toEqual(["0", "10", "20", "30", "40", "50", "60", "70", "80", "90"]);
    expect(ids(undefined)).toHaveLength(10);
  });
});

describe("choosing the passive reply (doc 90241)", () => {
  it("sends the first text passively and keeps the rest in order", () => {
    const plan = planReplies([
      { kind: "text", text: "已记录" },
      { kind: "card", card: reportCard },
      { kind: "text", text: "另一条" },
    ]);
    expect(plan.passive).toEqual({ type: "text", content: "已记录" });
    expect(plan.rest.map((r) => r.kind)).toEqual(["card", "text"]);
  });

  it("keeps everything active when the first reply is a card", () => {
    const plan = planReplies([{ kind: "card", card: reportCard }, { kind: "text", text: "x" }]);
    expect(plan.passive).toBeUndefined();
    expect(plan.rest).toHaveLength(2);
  });

  it("answers a click with update_button for the clicked card only", () => {
    const replies = [
      { kind: "text" as const, text: "已提交" },
      { kind: "card-update" as const, cardKey: "other", status: "x" },
      { kind: "card-update" as const, cardKey: "clicked", status: "已提交" },
    ];
    const plan = planReplies(replies, "clicked");
    expect(plan.passive).toEqual({ type: "update_button", replaceName: "已提交" });
    expect(plan.rest).toEqual([replies[0], replies[1]]);
  });
});
