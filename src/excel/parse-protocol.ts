import type { ImportInput } from "../domain/import/problems.js";

/** Messages between the parse pool and its worker threads: plain data only (structured clone). */
export interface ParseRequest {
  id: number;
  content: Uint8Array;
}

export type ParseReply =
  | { id: number; ok: true; input: ImportInput }
  /** The file was refused for a reason the user can fix (a DomainError's code and Chinese message). */
  | { id: number; ok: false; refusal: { code: string; message: string } }
  /** Anything else went wrong inside the worker: logged for operators. */
  | { id: number; ok: false; failure: string };
