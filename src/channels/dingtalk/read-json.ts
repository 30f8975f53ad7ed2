import type { IncomingMessage } from "node:http";
import getRawBody from "raw-body";

/** A callback body is a few KB; 64 KiB leaves room and stops floods before any parsing. */
export const CALLBACK_BODY_LIMIT = 64 * 1024;

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
    this.name = "BodyError";
  }
}

/** Reads and parses a JSON body with a byte limit; 413 when too large, 400 when not JSON. */
export async function readJsonBody(req: IncomingMessage, limit = CALLBACK_BODY_LIMIT): Promise<unknown> {
  let raw: string;
  try {
    raw = await getRawBody(req, { limit, length: req.headers["content-length"], encoding: "utf8" });
  } catch (err) {
    const status = (err as { status?: number }).status === 413 ? 413 : 400;
    throw new BodyError(status, status === 413 ? `body larger than ${limit} bytes` : "unreadable body");
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new BodyError(400, "body is not JSON");
  }
}
