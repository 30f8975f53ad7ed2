import type { MarkdownReply, TextReply } from "../messages/reply.js";

/**
 * Long replies in a chat that caps each message (WeCom 2,048 bytes, DingTalk 15,000/20,000 bytes):
 * split into numbered parts at line boundaries, never mid-line. A reply that would need more than
 * `maxParts` messages keeps its first parts and ends with how many lines were left out and where to
 * get all of them (the reply's `more`, e.g. 发送“导出 统计”获取 Excel 文件) — a member receives at
 * most 30 messages a minute from an app on WeCom, and a wall of messages helps nobody.
 */
export interface SplitLimit {
  /** True when this reply, rendered for the platform, is within its limits. */
  fits(reply: TextReply | MarkdownReply): boolean;
  maxParts: number;
}

/** Said when a reply has no more specific way to get the rest. */
export const DEFAULT_MORE = "请缩小查询范围（如指定单位或季度）后再查，或发送“导出”获取 Excel 文件。";

export function splitReply<R extends TextReply | MarkdownReply>(reply: R, limit: SplitLimit): R[] {
  if (limit.fits(reply)) return [reply];
  const lines = reply.text.split("\n").flatMap((line) => cutLongLine(reply, line, limit));
  // Numbering is reserved with the widest label this reply can carry, so a part that fits while
  // being packed still fits once its real label is set.
  const widest = `${limit.maxParts}/${limit.maxParts}`;
  // A markdown table cut across parts keeps its header row in every part, so each part reads alone.
  const h = lines.findIndex((l, i) => l.startsWith("|") && /^\|\s*:?-{3}/.test(lines[i + 1] ?? ""));
  const header = (first: number) => (h >= 0 && first > h + 1 && lines[first].startsWith("|") ? [lines[h], lines[h + 1]] : []);
  const chunks: string[][] = [];
  let current: string[] = [];
  let start = 0;
  for (const [i, line] of lines.entries()) {
    const candidate = [...current, line];
    if (current.length > 0 && !limit.fits(part(reply, [...header(start), ...candidate], widest))) {
      chunks.push([...header(start), ...current]);
      current = [line];
      start = i;
    } else current = candidate;
  }
  if (current.length > 0) chunks.push([...header(start), ...current]);

  let kept = chunks;
  if (chunks.length > limit.maxParts) {
    kept = chunks.slice(0, limit.maxParts);
    const last = [...kept[kept.length - 1]];
    const repeated = (c: string[]) => (h >= 0 && c[0] === lines[h] && c[1] === lines[h + 1] && c !== chunks[0] ? 2 : 0);
    const shownBefore = kept.slice(0, -1).reduce((n, c) => n + c.length - repeated(c), 0);
    const note = (shown: number) => `……其余 ${lines.length - shown} 行未显示。${reply.more ?? DEFAULT_MORE}`;
    const lastShown = () => shownBefore + last.length - repeated(last);
    while (last.length > 1 && !limit.fits(part(reply, [...last, note(lastShown())], widest))) last.pop();
    kept[kept.length - 1] = [...last, note(lastShown())];
  }
  return kept.map((c, i) => part(reply, c, `${i + 1}/${kept.length}`));
}

function part<R extends TextReply | MarkdownReply>(reply: R, lines: string[], label: string): R {
  const body = [`（${label}）`, ...lines].join("\n");
  return { ...reply, text: body };
}

/**
 * A single line too long for one message (a free-text progress note pasted whole) is the one case
 * that must be cut inside a line; it is cut at a character boundary and continues on the next line.
 */
function cutLongLine(reply: TextReply | MarkdownReply, line: string, limit: SplitLimit): string[] {
  const probe = (s: string) => limit.fits(part(reply, [s], `${limit.maxParts}/${limit.maxParts}`));
  if (probe(line)) return [line];
  const out: string[] = [];
  let rest = Array.from(line);
  while (rest.length > 0) {
    let lo = 1;
    let hi = rest.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (probe(rest.slice(0, mid).join(""))) lo = mid;
      else hi = mid - 1;
    }
    out.push(rest.slice(0, lo).join(""));
    rest = rest.slice(lo);
  }
  return out;
}
