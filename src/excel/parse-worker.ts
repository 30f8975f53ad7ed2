import { parentPort } from "node:worker_threads";
import { DomainError } from "../domain/errors.js";
import { readImportInput } from "./read-import.js";
import { loadWorkbook } from "./workbook.js";
import type { ParseReply, ParseRequest } from "./parse-protocol.js";

/**
 * The worker thread that opens uploaded workbooks (issue 14 §3): inflating and parsing an .xlsx takes
 * seconds and hundreds of MB for a large file, so it runs here, under the pool's time and memory
 * limits, and hands back plain rows. The import's validation stays on the main thread.
 */
parentPort!.on("message", async (req: ParseRequest) => {
  let reply: ParseReply;
  try {
    const wb = await loadWorkbook(Buffer.from(req.content.buffer, req.content.byteOffset, req.content.byteLength));
    reply = { id: req.id, ok: true, input: readImportInput(wb) };
  } catch (err) {
    reply =
      err instanceof DomainError
        ? { id: req.id, ok: false, refusal: { code: err.code, message: err.message } }
        : { id: req.id, ok: false, failure: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
  parentPort!.postMessage(reply);
});
