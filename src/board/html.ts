/**
 * The board's HTML shell: one light page that reads well in the WeCom / DingTalk in-app browser on a
 * phone (viewport, one column, tables that scroll sideways) and widens into a grid on a desk screen.
 * Everything shown is escaped; the chart data travels as JSON in a non-executed script element.
 */
export function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** JSON that cannot close its <script> element or break a line in old parsers. */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

export const LIGHT_COLOR = { green: "#2e7d32", yellow: "#f0a800", red: "#c62828", done: "#1f5fbf" } as const;

const CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei","Source Han Sans SC",sans-serif;background:#f3f5f8;color:#1d2733;font-size:15px;line-height:1.5;-webkit-text-size-adjust:100%}
header{background:#a31d1d;color:#fff;padding:14px 16px}
header h1{margin:0;font-size:18px;font-weight:600}
header p{margin:4px 0 0;font-size:13px;opacity:.9}
main{padding:12px;display:grid;gap:12px;grid-template-columns:1fr;max-width:1200px;margin:0 auto}
section{background:#fff;border-radius:8px;padding:12px;box-shadow:0 1px 2px rgba(0,0,0,.06);min-width:0}
section h2{margin:0 0 8px;font-size:16px;font-weight:600}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(88px,1fr));gap:8px}
.kpi{background:#f7f9fc;border-radius:6px;padding:8px;text-align:center}
.kpi b{display:block;font-size:22px}
.kpi span{font-size:12px;color:#56606b}
.chart{width:100%;height:280px}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:14px;white-space:nowrap}
th,td{border-bottom:1px solid #e6e9ee;padding:6px 8px;text-align:left}
th{background:#f7f9fc;font-weight:600}
td.n,th.n{text-align:right}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:4px;vertical-align:middle}
.green{background:${LIGHT_COLOR.green}}.yellow{background:${LIGHT_COLOR.yellow}}.red{background:${LIGHT_COLOR.red}}
.title{white-space:normal;min-width:9em}
.reason{color:#56606b;font-size:12px;white-space:normal}
details summary{cursor:pointer;color:#1f5fbf}
ul.reports{list-style:none;margin:0;padding:0}
ul.reports li{border-bottom:1px solid #e6e9ee;padding:6px 0;font-size:14px}
a{color:#1f5fbf}
footer{color:#56606b;font-size:12px;text-align:center;padding:8px 12px 20px}
section h3{margin:8px 0 4px;font-size:15px;font-weight:600}
ul.negative{margin:0 0 8px;padding-left:1.2em;font-size:14px}
.phone-only{display:none}
@media (max-width:599px){.wide-only{display:none}.phone-only{display:block}#target-table{white-space:normal}#target-table td{padding:6px 4px}#target-table td:nth-child(2){white-space:nowrap}}
@media (min-width:900px){main{grid-template-columns:1fr 1fr}section.wide{grid-column:1/-1}.chart{height:340px}}
`;

export function page(opts: { title: string; subtitle: string; body: string; data: unknown; footer: string }): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${esc(opts.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${esc(opts.title)}</h1><p>${esc(opts.subtitle)}</p></header>
<main>
${opts.body}
</main>
<footer>${esc(opts.footer)}</footer>
<script type="application/json" id="board-data">${jsonForScript(opts.data)}</script>
<script src="/board/assets/echarts.min.js"></script>
<script src="/board/assets/board.js"></script>
</body>
</html>`;
}

/** The refusal page: says why in plain words and how to get a fresh link, nothing more. */
export function refusalPage(message: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>无法打开看板</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>无法打开看板</h1><p>目标绩效管理</p></header>
<main><section><h2 id="refusal">${esc(message)}</h2><p>请在企业微信或钉钉中向目标绩效管理机器人发送“看板”，获取新的链接。</p></section></main>
</body>
</html>`;
}

export function kpis(items: { key: string; label: string; value: number }[]): string {
  return `<section class="wide"><div class="kpis">${items
    .map((i) => `<div class="kpi" data-kpi="${esc(i.key)}"><b>${esc(i.value)}</b><span>${esc(i.label)}</span></div>`)
    .join("")}</div></section>`;
}
