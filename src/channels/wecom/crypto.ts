import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * WeCom callback crypto (doc 90968 加解密方案说明), with node:crypto only.
 *
 * - Signature: lowercase hex SHA1 over the four values token, timestamp, nonce, ciphertext, sorted
 *   byte-wise and concatenated.
 * - AESKey = base64(EncodingAESKey + "="), 32 bytes; AES-256-CBC; IV = AESKey[0..16].
 * - Plaintext = 16 random bytes | 4-byte big-endian msg length | msg (UTF-8) | receive id (corp id),
 *   PKCS#7-padded to a multiple of 32 bytes. Node's own unpadder works on 16-byte blocks and rejects the
 *   official sample (pad byte 30), so auto padding is off and the padding is handled here.
 */

export type WecomCryptoErrorCode =
  | "bad_aes_key"
  | "bad_signature"
  | "bad_ciphertext"
  | "bad_padding"
  | "bad_plaintext"
  | "receive_id_mismatch";

/** Codes mirror the official WXBizMsgCrypt return codes (-40001 …, doc 90307) in words. */
export class WecomCryptoError extends Error {
  constructor(
    readonly code: WecomCryptoErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "WecomCryptoError";
  }
}

const BLOCK = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function aesKeyFrom(encodingAesKey: string): Buffer {
  if (!/^[A-Za-z0-9]{43}$/.test(encodingAesKey)) {
    throw new WecomCryptoError("bad_aes_key", "EncodingAESKey must be 43 letters or digits (WeCom admin console → app → 接收消息)");
  }
  const key = Buffer.from(`${encodingAesKey}=`, "base64");
  if (key.length !== 32) throw new WecomCryptoError("bad_aes_key", "EncodingAESKey does not decode to 32 bytes");
  return key;
}

export function computeSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  // Plain code-unit sort, as the official libraries do (all four values are ASCII).
  const joined = [token, timestamp, nonce, encrypted].sort().join("");
  return createHash("sha1").update(joined, "utf8").digest("hex");
}

/** Constant-time comparison so the signature cannot be guessed byte by byte from response timing. */
export function signatureMatches(token: string, timestamp: string, nonce: string, encrypted: string, signature: string): boolean {
  const expected = Buffer.from(computeSignature(token, timestamp, nonce, encrypted), "utf8");
  const given = Buffer.from(signature.toLowerCase(), "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface Decrypted {
  message: string;
  receiveId: string;
  random: Buffer;
}

export function decrypt(aesKey: Buffer, encrypted: string): Decrypted {
  if (!BASE64.test(encrypted) || encrypted.length % 4 !== 0) {
    throw new WecomCryptoError("bad_ciphertext", "ciphertext is not base64");
  }
  const data = Buffer.from(encrypted, "base64");
  // WeCom pads to 32 bytes, so anything else was not produced by WeCom.
  if (data.length === 0 || data.length % BLOCK !== 0) {
    throw new WecomCryptoError("bad_ciphertext", "ciphertext length is not a multiple of 32 bytes");
  }
  let padded: Buffer;
  try {
    const decipher = createDecipheriv("aes-256-cbc", aesKey, aesKey.subarray(0, 16));
    decipher.setAutoPadding(false);
    padded = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new WecomCryptoError("bad_ciphertext", "AES decryption failed");
  }
  const plain = unpad(padded);
  if (plain.length < 20) throw new WecomCryptoError("bad_plaintext", "plaintext shorter than its header");
  const msgLength = plain.readUInt32BE(16);
  if (20 + msgLength > plain.length) throw new WecomCryptoError("bad_plaintext", "message length exceeds plaintext");
  return {
    random: plain.subarray(0, 16),
    message: plain.subarray(20, 20 + msgLength).toString("utf8"),
    receiveId: plain.subarray(20 + msgLength).toString("utf8"),
  };
}

export function encrypt(aesKey: Buffer, message: string, receiveId: string, random: Buffer = randomBytes(16)): string {
  if (random.length !== 16) throw new WecomCryptoError("bad_plaintext", "random prefix must be 16 bytes");
  const msg = Buffer.from(message, "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(msg.length, 0);
  const plain = pad(Buffer.concat([random, length, msg, Buffer.from(receiveId, "utf8")]));
  const cipher = createCipheriv("aes-256-cbc", aesKey, aesKey.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString("base64");
}

function pad(buf: Buffer): Buffer {
  // A full block of padding when already aligned, as PKCS#7 requires (doc 90968).
  const n = BLOCK - (buf.length % BLOCK);
  return Buffer.concat([buf, Buffer.alloc(n, n)]);
}

function unpad(buf: Buffer): Buffer {
  const n = buf[buf.length - 1];
  if (n < 1 || n > BLOCK || n > buf.length) throw new WecomCryptoError("bad_padding", "invalid PKCS#7 padding");
  for (let i = buf.length - n; i < buf.length; i++) {
    if (buf[i] !== n) throw new WecomCryptoError("bad_padding", "invalid PKCS#7 padding");
  }
  return buf.subarray(0, buf.length - n);
}

/**
 * One app's callback crypto: verifies signatures, opens ciphertexts for our corp only, and seals
 * passive replies. The receive id check matters: the decrypt step alone (and `@wecom/crypto`) accepts
 * a message meant for any corp that shares the key material.
 */
export class WecomCipher {
  private readonly aesKey: Buffer;

  constructor(
    private readonly token: string,
    encodingAesKey: string,
    private readonly receiveId: string,
  ) {
    this.aesKey = aesKeyFrom(encodingAesKey);
  }

  verify(signature: string, timestamp: string, nonce: string, encrypted: string): void {
    if (!signatureMatches(this.token, timestamp, nonce, encrypted, signature)) {
      throw new WecomCryptoError("bad_signature", "msg_signature does not match");
    }
  }

  open(encrypted: string): string {
    const { message, receiveId } = decrypt(this.aesKey, encrypted);
    if (receiveId !== this.receiveId) {
      throw new WecomCryptoError("receive_id_mismatch", "receive id in the message is not our corp id");
    }
    return message;
  }

  seal(message: string, timestamp: string, nonce: string, random?: Buffer): { encrypted: string; signature: string } {
    const encrypted = encrypt(this.aesKey, message, this.receiveId, random);
    return { encrypted, signature: computeSignature(this.token, timestamp, nonce, encrypted) };
  }
}
