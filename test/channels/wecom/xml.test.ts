import { describe, expect, it } from "vitest";
import {
  buildEncryptedReply,
  buildTextReply,
  buildUpdateButtonReply,
  cdata,
  MAX_XML_BYTES,
  parseEnvelope,
  parseMessage,
  WecomXmlError,
} from "../../../src/channels/wecom/xml.js";

// Payload shapes from docs 90239/90240 (platforms-reference.md A5).
const TEXT =
  "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>";

const CARD_EVENT = `<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[FromUser]]></FromUserName><CreateTime>123456789</CreateTime>
<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event>
<EventKey><![CDATA[key111]]></EventKey><TaskId><![CDATA[taskid111]]></TaskId><CardType><![CDATA[text_notice]]></CardType>
<ResponseCode><![CDATA[ResponseCode]]></ResponseCode><AgentID>1</AgentID>
<SelectedItems>
  <SelectedItem><QuestionKey><![CDATA[QuestionKey1]]></QuestionKey><OptionIds><OptionId><![CDATA[OptionId1]]></OptionId><OptionId><![CDATA[OptionId2]]></OptionId></OptionIds></SelectedItem>
  <SelectedItem><QuestionKey><![CDATA[QuestionKey2]]></QuestionKey><OptionIds><OptionId><![CDATA[OptionId3]]></OptionId></OptionIds></SelectedItem>
</SelectedItems></xml>`;

function refusal(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof WecomXmlError) return e.message;
    throw e;
  }
  return undefined;
}

describe("WeCom XML", () => {
  it("reads the POST envelope in either element order", () => {
    expect(parseEnvelope("<xml><ToUserName><![CDATA[ww1]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[abc+/=]]></Encrypt></xml>")).toEqual({
      toUserName: "ww1",
      agentId: "1000002",
      encrypt: "abc+/=",
    });
    expect(parseEnvelope('<?xml version="1.0" encoding="UTF-8"?><xml><ToUserName>ww1</ToUserName><Encrypt>abc</Encrypt><AgentID>5</AgentID></xml>').encrypt).toBe("abc");
  });

  it("keeps MsgId as the exact 64-bit string", () => {
    const msg = parseMessage(TEXT);
    expect(msg).toMatchObject({ fromUserName: "mycreate", msgType: "text", content: "hello", msgId: "4561255354251345929", agentId: "218", createTime: "1409659813" });
  });

  it("reads a template_card_event with its SelectedItems", () => {
    const msg = parseMessage(CARD_EVENT);
    expect(msg).toMatchObject({ event: "template_card_event", eventKey: "key111", taskId: "taskid111", responseCode: "ResponseCode" });
    expect(msg.selectedItems).toEqual([
      { questionKey: "QuestionKey1", optionIds: ["OptionId1", "OptionId2"] },
      { questionKey: "QuestionKey2", optionIds: ["OptionId3"] },
    ]);
  });

  it("keeps CDATA verbatim and decodes only predefined entities in plain text", () => {
    const msg = parseMessage(`<xml><FromUserName>a</FromUserName><MsgType>text</MsgType><CreateTime>1</CreateTime><Content>${cdata(" 1 &lt; 2 ]]> ")}</Content><MsgId>m</MsgId></xml>`);
    expect(msg.content).toBe(" 1 &lt; 2 ]]> ");
    expect(parseMessage("<xml><FromUserName>a &amp; b</FromUserName><MsgType>text</MsgType><CreateTime>1</CreateTime></xml>").fromUserName).toBe("a & b");
  });

  it("refuses DOCTYPE and ENTITY declarations before parsing", () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Encrypt>&x;</Encrypt></xml>';
    expect(refusal(() => parseEnvelope(xxe))).toMatch(/DOCTYPE/);
    expect(refusal(() => parseMessage('<!doctype xml><xml><FromUserName>a</FromUserName></xml>'))).toMatch(/DOCTYPE/);
    expect(refusal(() => parseEnvelope('<xml><!ENTITY a "b"><Encrypt>x</Encrypt></xml>'))).toMatch(/ENTITY/);
  });

  it("refuses oversized, malformed and incomplete documents", () => {
    expect(refusal(() => parseEnvelope(`<xml><Encrypt>${"a".repeat(MAX_XML_BYTES)}</Encrypt></xml>`))).toMatch(/too large/);
    expect(refusal(() => parseEnvelope("<xml><Encrypt>a</Encrypt>"))).toBeDefined();
    expect(refusal(() => parseEnvelope("<other><Encrypt>a</Encrypt></other>"))).toMatch(/root/);
    expect(refusal(() => parseEnvelope("<xml><ToUserName>a</ToUserName></xml>"))).toMatch(/Encrypt/);
    expect(refusal(() => parseMessage("<xml><Content>x</Content></xml>"))).toMatch(/missing/);
    const deep = "<a>".repeat(20) + "</a>".repeat(20);
    expect(refusal(() => parseEnvelope(`<xml><Encrypt>${deep}</Encrypt></xml>`))).toBeDefined();
  });

  it("builds passive replies that parse back", () => {
    const text = buildTextReply({ toUser: "zhangsan", fromUser: "ww1", createTime: 1700000001, content: "a]]>b" });
    expect(parseMessage(text)).toMatchObject({ toUserName: "zhangsan", fromUserName: "ww1", msgType: "text", content: "a]]>b" });
    const update = buildUpdateButtonReply({ toUser: "zhangsan", fromUser: "wx5823bf96d3bd56c7", createTime: 1700000001, replaceName: "已处理" });
    // Byte-identical to the self-generated vector in platforms-reference.md A4.
    expect(update).toBe(
      "<xml><ToUserName><![CDATA[zhangsan]]></ToUserName><FromUserName><![CDATA[wx5823bf96d3bd56c7]]></FromUserName><CreateTime>1700000001</CreateTime><MsgType><![CDATA[update_button]]></MsgType><Button><ReplaceName><![CDATA[已处理]]></ReplaceName></Button></xml>",
    );
    const env = buildEncryptedReply({ encrypt: "E+/=", signature: "s", timestamp: "1", nonce: "n" });
    expect(parseEnvelope(env).encrypt).toBe("E+/=");
  });
});
