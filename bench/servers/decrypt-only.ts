import { decrypt, getSignature } from "@wecom/crypto";
import Koa from "koa";
import getRawBody from "raw-body";

/**
 * Baseline 2: read the body, check the signature and decrypt with the official @wecom/crypto — the
 * protocol work every WeCom bot must do — and nothing else.
 */
const token = process.env.WECOM_TOKEN!;
const key = process.env.WECOM_ENCODING_AES_KEY!;
const app = new Koa();
app.use(async (ctx) => {
  const body = (await getRawBody(ctx.req, { limit: "64kb", encoding: "utf8" })) as string;
  const encrypt = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(body)?.[1] ?? "";
  const { msg_signature, timestamp, nonce } = ctx.query as Record<string, string>;
  if (getSignature(token, timestamp, nonce, encrypt) !== msg_signature) {
    ctx.status = 401;
    return;
  }
  decrypt(key, encrypt);
  ctx.body = "";
});
const server = app.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(JSON.stringify({ msg: "listening", port: (server.address() as { port: number }).port }));
});
