import type { IncomingMessage } from "node:http";
import getRawBody from "raw-body";
import { WecomCryptoError, type WecomCipher } from "./crypto.js";
import { parseEnvelope, WecomXmlError } from "./xml.js";

/**
 * Everything a callback must pass before any of it is believed (docs 90238, 90968): query shape, body
 * size, XML without DTDs, signature, timestamp freshness, decryption and the receive id (our corp id).
 * Nothing here touches the database; a failure becomes a CallbackRejected with a short reason.
 */

/** A callback older or newer than this is refused as a replay. WeCom's own retries come within ~15 s. */
export const MAX_TIMESTAMP_SKEW_MS = 5 * 60_000;
/** Real envelopes are a few KB; anything near this is not from WeCom. */
export const MAX_BODY_BYTES = 64 * 1024;

export class CallbackRejected extends Error {
  constructor(
    readonly status: 400 | 401 | 413,
    readonly reason: string,
  ) {
    super(reason);
    this.name = "CallbackRejected";
  }
}

type Query = Record<string, string | string[] | undefined>;

function param(query: Query, name: string): string {
  const v = query[name];
  if (typeof v !== "string" || v === "") throw new CallbackRejected(400, `missing ${name}`);
  return v;
}

/**
 * Base64 in the query arrives percent-encoded (doc 90238), but a proxy that leaves "+" raw turns it
 * into a space once decoded; base64 never contains spaces, so put the pluses back.
 */
function base64Param(query: Query, name: string): string {
  return param(query, name).replaceAll(" ", "+");
}

function rethrow(err: unknown): never {
  if (err instanceof CallbackRejected) throw err;
  if (err instanceof WecomCryptoError) {
    const status = err.code === "bad_signature" || err.code === "receive_id_mismatch" ? 401 : 400;
    throw new CallbackRejected(status, err.code === "receive_id_mismatch" ? "wrong corp id" : err.code.replaceAll("_", " "));
  }
  if (err instanceof WecomXmlError) throw new CallbackRejected(400, err.message);
  throw err;
}

/** GET URL verification: the decrypted echostr, to be answered verbatim (doc 90238). */
export function openEchostr(cipher: WecomCipher, query: Query): string {
  try {
    const signature = param(query, "msg_signature");
    const timestamp = param(query, "timestamp");
    const nonce = param(query, "nonce");
    const echostr = base64Param(query, "echostr");
    cipher.verify(signature, timestamp, nonce, echostr);
    return cipher.open(echostr);
  } catch (err) {
    rethrow(err);
  }
}

export interface OpenCallbackDeps {
  cipher: WecomCipher;
  now: Date;
  maxSkewMs: number;
}

/** POST message/event: the decrypted inner XML. */
export async function openCallback(req: IncomingMessage, query: Query, deps: OpenCallbackDeps): Promise<string> {
  try {
    const signature = param(query, "msg_signature");
    const timestamp = param(query, "timestamp");
    const nonce = param(query, "nonce");
    if (!/^\d{1,12}$/.test(timestamp)) throw new CallbackRejected(400, "bad timestamp");
    const body = await readBody(req);
    const { encrypt } = parseEnvelope(body);
    deps.cipher.verify(signature, timestamp, nonce, encrypt);
    if (Math.abs(deps.now.getTime() - Number(timestamp) * 1000) > deps.maxSkewMs) throw new CallbackRejected(401, "stale timestamp");
    return deps.cipher.open(encrypt);
  } catch (err) {
    rethrow(err);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  try {
    return await getRawBody(req, { limit: MAX_BODY_BYTES, encoding: "utf8" });
  } catch (err) {
    const type = (err as { type?: string }).type;
    if (type === "entity.too.large") throw new CallbackRejected(413, "body too large");
    throw new CallbackRejected(400, "unreadable body");
  }
}
