import { createCipheriv, randomBytes } from "node:crypto";
import { decrypt as wxDecrypt, encrypt as wxEncrypt, getSignature } from "@wecom/crypto";
import { describe, expect, it } from "vitest";
import { aesKeyFrom, computeSignature, decrypt, encrypt, signatureMatches, WecomCipher, WecomCryptoError } from "../../../src/channels/wecom/crypto.js";

// Official sample configuration (doc 90968; WXBizMsgCrypt Sample.py / Sample.cs), see
// /work/shared/platforms-reference.md A4.
const TOKEN = "QDG6eK";
const AES = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const CORP = "wx5823bf96d3bd56c7";

const W_GET = {
  signature: "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
  timestamp: "1409659589",
  nonce: "263014780",
  echostr: "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
  plain: "1616140317555161061",
  random: "c41b64491c2468d0",
};

const W_POST = {
  signature: "477715d11cdb4164915debcba66cb864d751f3e6",
  timestamp: "1409659813",
  nonce: "1372623149",
  encrypt:
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==",
  plain:
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>",
  random: "0960688932c47ef1",
};

// Self-generated with @wecom/crypto (reference A4, random = ASCII "1234567890123456").
const UPDATE_BUTTON = {
  plain:
    "<xml><ToUserName><![CDATA[zhangsan]]></ToUserName><FromUserName><![CDATA[wx5823bf96d3bd56c7]]></FromUserName><CreateTime>1700000001</CreateTime><MsgType><![CDATA[update_button]]></MsgType><Button><ReplaceName><![CDATA[已处理]]></ReplaceName></Button></xml>",
  timestamp: "1700000001",
  nonce: "654321",
  signature: "bef9f068971e02eed372c12f01664cef7c9cb508",
  encrypt:
    "y514aRT8yYkYNee3kPvkrKrOU110CKZLLkqK41NEcUmYcGu+w0cvlOWgXndPXBgI0dF2ADZCLbmE0KF61l472AEQtSU8el9FzuUYFDsPHNiAnU//CDPtG4tr5D6al1KjsBiDquNzxwSf5sZNbS3yvNCjs0qfo4N/p3YIMkMAZN9ecZR8+mm6gueb2TDp4w5W0K35sF7/btq/NcBSZJ3hOhrt7eQpWW7mEuao3F96LYYOKaaHiYnaFkB+BT82+qNMq3lcgeVEud4l2z8fS1wVg9ABDQLUUW1/JG8qEi3VHhWTpgpTeYe4Jr4HRgMdB0sPNI4sRAsJnhtWlqfmAoC3FMTO7GTdDCjBhdDsDC3d8svxAYiVSV9Ftb6OBstC9jGlJmDm6iIJVgbADJ1sOGm+FEK8Pb55CsrzNimQjlotWKk=",
};

const key = aesKeyFrom(AES);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof WecomCryptoError ? e.code : `not a WecomCryptoError: ${String(e)}`;
  }
  return undefined;
}

describe("WeCom callback crypto (doc 90968)", () => {
  it("derives the official AES key and IV from the EncodingAESKey", () => {
    expect(key.toString("hex")).toBe("8d69989bbaabe67328014c194631ad0719b3dca035b64023df292447aab60760");
  });

  it("reproduces the official URL-verification vector (W-GET)", () => {
    expect(computeSignature(TOKEN, W_GET.timestamp, W_GET.nonce, W_GET.echostr)).toBe(W_GET.signature);
    const out = decrypt(key, W_GET.echostr);
    expect(out.message).toBe(W_GET.plain);
    expect(out.receiveId).toBe(CORP);
    expect(out.random.toString("latin1")).toBe(W_GET.random);
  });

  it("reproduces the official text-message vector (W-POST), whose last pad byte is 30", () => {
    expect(computeSignature(TOKEN, W_POST.timestamp, W_POST.nonce, W_POST.encrypt)).toBe(W_POST.signature);
    expect(Buffer.from(W_POST.encrypt, "base64").length % 32).toBe(0);
    const out = decrypt(key, W_POST.encrypt);
    expect(out.message).toBe(W_POST.plain);
    expect(out.receiveId).toBe(CORP);
  });

  it("re-encrypts both official plaintexts byte for byte with the recovered random prefix", () => {
    expect(encrypt(key, W_GET.plain, CORP, Buffer.from(W_GET.random, "latin1"))).toBe(W_GET.echostr);
    expect(encrypt(key, W_POST.plain, CORP, Buffer.from(W_POST.random, "latin1"))).toBe(W_POST.encrypt);
  });

  it("seals the self-generated update_button passive reply exactly like @wecom/crypto", () => {
    const cipher = new WecomCipher(TOKEN, AES, CORP);
    const sealed = cipher.seal(UPDATE_BUTTON.plain, UPDATE_BUTTON.timestamp, UPDATE_BUTTON.nonce, Buffer.from("1234567890123456"));
    expect(sealed).toEqual({ encrypted: UPDATE_BUTTON.encrypt, signature: UPDATE_BUTTON.signature });
  });

  it("verifies signatures in constant time and rejects wrong ones of any length", () => {
    expect(signatureMatches(TOKEN, W_POST.timestamp, W_POST.nonce, W_POST.encrypt, W_POST.signature)).toBe(true);
    expect(signatureMatches(TOKEN, W_POST.timestamp, W_POST.nonce, W_POST.encrypt, W_POST.signature.toUpperCase())).toBe(true);
    expect(signatureMatches(TOKEN, W_POST.timestamp, W_POST.nonce, W_POST.encrypt, "0" + W_POST.signature.slice(1))).toBe(false);
    expect(signatureMatches(TOKEN, W_POST.timestamp, W_POST.nonce, W_POST.encrypt, "abc")).toBe(false);
    expect(signatureMatches(TOKEN, "1409659814", W_POST.nonce, W_POST.encrypt, W_POST.signature)).toBe(false);
  });

  it("opens only messages sealed for our corp id", () => {
    const ours = new WecomCipher(TOKEN, AES, CORP);
    expect(ours.open(W_POST.encrypt)).toBe(W_POST.plain);
    const other = new WecomCipher(TOKEN, AES, "ww-other-corp");
    expect(codeOf(() => other.open(W_POST.encrypt))).toBe("receive_id_mismatch");
    expect(codeOf(() => ours.verify("0".repeat(40), W_POST.timestamp, W_POST.nonce, W_POST.encrypt))).toBe("bad_signature");
  });

  it("pads a block-aligned plaintext with a full block of 32 bytes", () => {
    // 16 random + 4 length + 8 message + 4 receive id = 32 bytes: aligned, so 32 bytes of 0x20 follow.
    const sealed = encrypt(key, "12345678", "corp", randomBytes(16));
    expect(Buffer.from(sealed, "base64").length).toBe(64);
    expect(decrypt(key, sealed).message).toBe("12345678");
  });

  it("refuses malformed ciphertexts with typed errors", () => {
    expect(codeOf(() => decrypt(key, "not base64!"))).toBe("bad_ciphertext");
    expect(codeOf(() => decrypt(key, Buffer.alloc(16).toString("base64")))).toBe("bad_ciphertext");
    // Valid AES over a plaintext whose last byte (0) is not a PKCS#7 pad value.
    const c = createCipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
    const zeroPadded = Buffer.concat([c.update(Buffer.alloc(32)), c.final()]).toString("base64");
    expect(codeOf(() => decrypt(key, zeroPadded))).toBe("bad_padding");
    expect(codeOf(() => aesKeyFrom("short"))).toBe("bad_aes_key");
  });

  it("refuses a declared message length beyond the plaintext", () => {
    const plain = Buffer.concat([randomBytes(16), Buffer.from([0, 0, 1, 0]), Buffer.from("hi")]);
    const n = 32 - (plain.length % 32);
    const c = createCipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
    const sealed = Buffer.concat([c.update(Buffer.concat([plain, Buffer.alloc(n, n)])), c.final()]).toString("base64");
    expect(codeOf(() => decrypt(key, sealed))).toBe("bad_plaintext");
  });
});

describe("interoperability with the official @wecom/crypto", () => {
  const randomKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

  it("opens what @wecom/crypto encrypts (Chinese text, long and short messages)", () => {
    const cipher = new WecomCipher("tok", randomKey, "wwcorp");
    for (const msg of ["", "汇报 FGW-03 60% 已完成主体工程", "x".repeat(5000), "<xml><Content><![CDATA[]]]]><![CDATA[>]]></Content></xml>"]) {
      const enc = wxEncrypt(randomKey, msg, "wwcorp");
      const sig = getSignature("tok", "1700000000", "42", enc);
      cipher.verify(sig, "1700000000", "42", enc);
      expect(cipher.open(enc)).toBe(msg);
    }
  });

  it("seals passive replies that @wecom/crypto decrypts and signs identically", () => {
    const cipher = new WecomCipher("tok", randomKey, "wwcorp");
    const { encrypted, signature } = cipher.seal("收到：已记录进度 60%", "1700000123", "987654");
    expect(getSignature("tok", "1700000123", "987654", encrypted)).toBe(signature);
    const out = wxDecrypt(randomKey, encrypted);
    expect(out).toMatchObject({ message: "收到：已记录进度 60%", id: "wwcorp" });
  });
});
