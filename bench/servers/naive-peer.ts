import { randomBytes } from "node:crypto";
import { decrypt, encrypt, getSignature } from "@wecom/crypto";
import { XMLParser } from "fast-xml-parser";
import Koa from "koa";
import getRawBody from "raw-body";
import { createDb } from "../../src/infra/db.js";

/**
 * Baseline 3: a typical WeCom bot doing the same job naively — verify and decrypt (@wecom/crypto),
 * parse the XML (fast-xml-parser), look up the sender and the target with Prisma, insert the
 * report, answer with an encrypted passive reply. No dedupe of retried deliveries, no
 * authorisation, no transaction, no milestones: what the bot does and this does not is the price
 * of being correct. Same database file and settings as the bot (createDb: WAL, busy_timeout).
 */
const token = process.env.WECOM_TOKEN!;
const key = process.env.WECOM_ENCODING_AES_KEY!;
const corpId = process.env.WECOM_CORP_ID!;
const db = await createDb(process.env.DATABASE_URL!);
const parser = new XMLParser();

const app = new Koa();
app.use(async (ctx) => {
  const body = (await getRawBody(ctx.req, { limit: "64kb", encoding: "utf8" })) as string;
  const outer = parser.parse(body) as { xml: { Encrypt: string } };
  const { msg_signature, timestamp, nonce } = ctx.query as Record<string, string>;
  if (getSignature(token, timestamp, nonce, outer.xml.Encrypt) !== msg_signature) {
    ctx.status = 401;
    return;
  }
  const msg = (parser.parse(decrypt(key, outer.xml.Encrypt).message) as { xml: { FromUserName: string; Content: string } }).xml;
  const [, code, progress, ...note] = String(msg.Content).split(/\s+/);
  const identity = await db.platformIdentity.findUnique({ where: { platform_externalId: { platform: "wecom", externalId: msg.FromUserName } }, include: { user: true } });
  const target = await db.target.findFirst({ where: { code } });
  let answer = "未找到";
  if (identity && target) {
    const report = await db.progressReport.create({
      data: { targetId: target.id, reporterId: identity.user.id, progress: Number(progress), note: note.join(" "), channel: "wecom", createdAt: new Date() },
    });
    answer = `已记入台账：${code}，进度 ${progress}%（台账记录 ${report.id}）。`;
  }
  const now = String(Math.floor(Date.now() / 1000));
  const reply = `<xml><ToUserName><![CDATA[${msg.FromUserName}]]></ToUserName><FromUserName><![CDATA[${corpId}]]></FromUserName><CreateTime>${now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${answer}]]></Content></xml>`;
  const sealed = encrypt(key, reply, corpId, randomBytes(16));
  const replyNonce = randomBytes(8).toString("hex");
  ctx.type = "text/xml";
  ctx.body = `<xml><Encrypt><![CDATA[${sealed}]]></Encrypt><MsgSignature><![CDATA[${getSignature(token, now, replyNonce, sealed)}]]></MsgSignature><TimeStamp>${now}</TimeStamp><Nonce><![CDATA[${replyNonce}]]></Nonce></xml>`;
});
const server = app.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(JSON.stringify({ msg: "listening", port: (server.address() as { port: number }).port }));
});
