/**
 * EvaluationInput.text holds what a number cannot: the code of a coded input (创新项目 award, discipline
 * kind) and the note typed with it. Stored as a small JSON object; plain text from elsewhere is read
 * as a note.
 */
export interface InputText {
  code?: string;
  note?: string;
}

export function encodeInputText(t: InputText): string | null {
  const clean: InputText = {};
  if (t.code) clean.code = t.code;
  if (t.note?.trim()) clean.note = t.note.trim();
  return Object.keys(clean).length ? JSON.stringify(clean) : null;
}

export function decodeInputText(text: string | null): InputText {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      return { code: typeof o.code === "string" ? o.code : undefined, note: typeof o.note === "string" ? o.note : undefined };
    }
  } catch {
    // not JSON: a plain note
  }
  return { note: text };
}

/** Whether a new 创新项目评选 input declares 不参评 (§2.16), which only some agencies may. */
export function declinedAward(input: { item: string; text: string | null }): boolean {
  return input.item === "innovation" && decodeInputText(input.text).code === "declined";
}
