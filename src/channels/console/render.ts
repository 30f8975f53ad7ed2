import type { Reply } from "../../messages/reply.js";

/**
 * Renders the reply model as terminal text. Cards become numbered actions the user can trigger by
 * typing "#<n> <选项>" — the same card-action path WeCom and DingTalk clicks take.
 */
export function renderReply(r: Reply, cardIndex: (cardKey: string, actionKey: string) => number): string {
  switch (r.kind) {
    case "text":
      return r.text;
    case "markdown":
      return r.text.replace(/\*\*(.+?)\*\*/g, "$1");
    case "card-update":
      return `〔卡片已更新：${r.status}〕`;
    case "file":
      return `〔文件：${r.fileName}${r.caption ? `，${r.caption}` : ""}〕`;
    case "card": {
      const c = r.card;
      const lines = [`┌ ${c.title}`];
      if (c.description) lines.push(`│ ${c.description}`);
      for (const f of c.fields ?? []) lines.push(`│ ${f.label}：${f.value}`);
      for (const s of c.selects ?? []) lines.push(`│ ${s.label}：${s.options.map((o) => o.label).join(" / ")}${s.selected ? `（默认 ${s.selected}）` : ""}`);
      for (const a of c.actions) {
        const n = cardIndex(c.key, a.key);
        const hint = c.selects?.length ? ` <${c.selects.map((s) => s.label).join(" ")}>` : "";
        lines.push(`│ [#${n}] ${a.label}（输入 #${n}${hint}）`);
      }
      lines.push("└");
      return lines.join("\n");
    }
  }
}
