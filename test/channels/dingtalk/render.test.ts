import { describe, expect, it } from "vitest";
import { cardAsMarkdown, cardParamMap, fileMessage, MSG_PARAM_MAX_BYTES, splitForDingtalk, toRobotMessage, toWebhookMessage } from "../../../src/channels/dingtalk/render.js";
import type { Card } from "../../../src/messages/reply.js";

const card: Card = {
  key: "appeal-1",
  title: "申诉处理：FGW 2026Q1",
  fields: [{ label: "单位", value: "省发展改革委" }],
  selects: [{ key: "decision", label: "处理结果", options: [{ id: "accept", label: "受理" }, { id: "reject", label: "驳回" }] }],
  actions: [
    { key: "go", label: "提交", command: "受理 12 {decision}" },
    { key: "detail", label: "查看[详情]", command: "申诉列表" },
  ],
};

describe("DingTalk rendering", () => {
  it("renders text and markdown for the robot API with msgParam fields per msgKey", () => {
    expect(toRobotMessage({ kind: "text", text: "你好" })).toEqual({ msgKey: "sampleText", msgParam: { content: "你好" } });
    expect(toRobotMessage({ kind: "markdown", title: "标题", text: "**粗体**" })).toEqual({ msgKey: "sampleMarkdown", msgParam: { title: "标题", text: "**粗体**" } });
  });

  it("renders session-webhook messages in the custom-robot format, @-ing the asker in groups", () => {
    expect(toWebhookMessage({ kind: "text", text: "好" }, "zhangsan")).toEqual({ msgtype: "text", text: { content: "好" }, at: { atUserIds: ["zhangsan"], isAtAll: false } });
    expect(toWebhookMessage({ kind: "markdown", title: "t", text: "x" })).toEqual({ msgtype: "markdown", markdown: { title: "t", text: "x" } });
  });

  it("splits overlong text into numbered parts whose msgParam stays within 15,000 bytes, keeping every line", () => {
    const lines = Array.from({ length: 600 }, (_, i) => `第${i + 1}行：贵州省某某厅目标进度正常推进`);
    const parts = splitForDingtalk({ kind: "text", text: lines.join("\n") });
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((p, i) => {
      expect(p.text.split("\n")[0]).toBe(`（${i + 1}/${parts.length}）`);
      expect(Buffer.byteLength(JSON.stringify(toRobotMessage(p).msgParam))).toBeLessThanOrEqual(MSG_PARAM_MAX_BYTES);
    });
    expect(parts.flatMap((p) => p.text.split("\n").slice(1))).toEqual(lines);
  });

  it("fills the card template with string values only, lists as JSON", () => {
    const params = cardParamMap(card);
    expect(Object.values(params).every((v) => typeof v === "string")).toBe(true);
    expect(params).toMatchObject({ title: card.title, status: "", submitted: "false", fieldsMarkdown: "**单位**：省发展改革委" });
    expect(JSON.parse(params.selects)).toEqual([{ key: "decision", label: "处理结果", options: [{ value: "accept", text: "受理" }, { value: "reject", text: "驳回" }] }]);
  });

  it("marks the preselected option as the select's default", () => {
    const params = cardParamMap({ ...card, selects: [{ ...card.selects![0], selected: "reject" }] });
    expect(JSON.parse(params.selects)[0].defaultValue).toEqual({ index: 1, value: "reject" });
  });

  it("renders a card without a template as markdown with one send-link per choice", () => {
    const { msgKey, msgParam } = cardAsMarkdown(card);
    expect(msgKey).toBe("sampleMarkdown");
    expect(msgParam.text).toContain("**提交**：[受理](dtmd://dingtalkclient/sendMessage?content=%E5%8F%97%E7%90%86%2012%20accept)");
    expect(msgParam.text).toContain("[驳回](dtmd://dingtalkclient/sendMessage?content=%E5%8F%97%E7%90%86%2012%20reject)");
    expect(msgParam.text).toContain("[查看【详情】](dtmd://dingtalkclient/sendMessage?content=%E7%94%B3%E8%AF%89%E5%88%97%E8%A1%A8)");
  });

  it("shows the command form instead of links when the choices multiply too far", () => {
    const options = Array.from({ length: 5 }, (_, i) => ({ id: String(i), label: `${i}` }));
    const wide: Card = {
      key: "k",
      title: "t",
      selects: [
        { key: "a", label: "甲", options },
        { key: "b", label: "乙", options },
      ],
      actions: [{ key: "go", label: "提交", command: "命令 {a} {b}" }],
    };
    const { msgParam } = cardAsMarkdown(wide);
    expect(msgParam.text).toContain("请发送“命令 <甲> <乙>”");
    expect(msgParam.text).not.toContain("dtmd://");
  });

  it("names the file type after the extension", () => {
    expect(fileMessage("@m", "考评结果.XLSX").msgParam).toEqual({ mediaId: "@m", fileName: "考评结果.XLSX", fileType: "xlsx" });
  });
});
