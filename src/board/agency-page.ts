import { chineseDate } from "../domain/calendar.js";
import type { AgencyBoard, BoardTarget } from "./data.js";
import { esc, kpis, page } from "./html.js";

function targetRow(t: BoardTarget): string {
  const milestones = t.milestones
    .map((m) => `<li><span class="dot ${m.light}"></span>${esc(m.label)}：${esc(chineseDate(m.due))}前达到 ${m.expected}%｜${esc(m.status)}</li>`)
    .join("");
  return `<tr data-target="${esc(t.code)}" data-light="${t.light}">
<td><span class="dot ${t.light}" title="${esc(t.lightLabel)}"></span>${esc(t.lightLabel)}</td>
<td>${esc(t.code)}</td>
<td class="title">${esc(t.title)}${t.light !== "green" ? `<div class="reason">${esc(t.reason)}</div>` : ""}${
    milestones ? `<details><summary>季度节点</summary><ul>${milestones}</ul></details>` : ""
  }</td>
<td class="n" data-k="progress">${t.progress}%</td>
<td>${esc(t.state)}</td>
<td>${esc(t.owners)}</td>
<td>${esc(chineseDate(t.deadline))}</td></tr>`;
}

/**
 * One agency's page (officers and heads, or the office drilling down): its targets with traffic
 * lights, quarterly milestones (§2.21), its 负面清单 entries (§2.23) numbered as heads appeal them, the
 * latest 台账 records (§7.3) and its own trend.
 */
export function agencyPage(b: AgencyBoard, opts: { asOf: string; expires: string; timeText: (d: Date) => string; backLink: string | null }): string {
  const c = b.counts;
  const reports = b.reports
    .map(
      (r) =>
        `<li data-report-target="${esc(r.code)}">${esc(opts.timeText(r.at))}｜${esc(r.code)}｜${esc(r.reporter)}${r.onBehalfOf ? `（代${esc(r.onBehalfOf)}）` : ""}｜${r.progress}%｜${esc(r.note)}</li>`,
    )
    .join("");
  const entries = b.negativeEntries
    .map((e) => `<li data-entry="${esc(e.ref)}">${esc(e.ref)}｜${esc(e.reason)}｜${e.points} 分${e.supplementary ? "（核查后补充）" : ""}${e.withdrawn ? "（已撤销）" : ""}</li>`)
    .join("");
  const body = [
    ...(opts.backLink ? [`<section class="wide"><a href="${esc(opts.backLink)}">← 返回全省看板</a></section>`] : []),
    kpis([
      { key: "issued", label: "已下达", value: c.issued },
      { key: "onTrack", label: "正常推进", value: c.onTrack },
      { key: "warning", label: "其中预警", value: c.warning },
      { key: "late", label: "逾期/未完成", value: c.late + c.notCompleted },
      { key: "done", label: "已完成", value: c.done },
    ]),
    `<section><h2>预警分布</h2><div class="chart" data-chart="lights" role="img" aria-label="目标预警分布图"></div></section>`,
    `<section><h2>各目标进度</h2><div class="chart" data-chart="progress" role="img" aria-label="各目标进度条形图"></div></section>`,
    `<section class="wide"><h2>目标清单</h2><div class="table-wrap"><table id="target-table"><thead><tr><th>预警</th><th>编号</th><th>目标</th><th class="n">进度</th><th>状态</th><th>责任人</th><th>完成时限</th></tr></thead>
<tbody>${b.targets.map(targetRow).join("")}</tbody></table></div>
<p class="reason">绿色：正常推进或已完成；黄色：临近时限且进度落后；红色：逾期或未完成。</p></section>`,
    `<section><h2>负面清单条目</h2>${entries ? `<ul class="reports">${entries}</ul><p class="reason">条目按季度编号，申诉时写季度和条目号，如“申诉 ${esc(b.negativeEntries[0].ref)} &lt;理由&gt;”。</p>` : "<p>本年度暂无负面清单条目。</p>"}</section>`,
    `<section><h2>最近汇报</h2>${reports ? `<ul class="reports">${reports}</ul>` : "<p>暂无台账记录。</p>"}</section>`,
    `<section><h2>完成趋势（按月）</h2><div class="chart" data-chart="trend" role="img" aria-label="完成趋势折线图"></div></section>`,
  ].join("\n");
  return page({
    title: `${b.agency.shortName}${b.year}年度目标看板`,
    subtitle: `${b.agency.name}｜数据截至 ${opts.asOf}`,
    body,
    data: { kind: "agency", ...b, reports: [], negativeEntries: [] },
    footer: `只读页面，链接有效期至 ${opts.expires}，请勿转发。`,
  });
}
