import type { ProvinceBoard } from "./data.js";
import { esc, kpis, page } from "./html.js";

/**
 * The province overview (office and third parties): per agency issued / on track / warning / late /
 * done, negative-list entries per quarter (§2.23), and the completion trend by month.
 */
export function provincePage(b: ProvinceBoard, opts: { asOf: string; expires: string; token: string }): string {
  const t = b.totals;
  const row = (a: ProvinceBoard["agencies"][number]) => `<tr data-agency="${esc(a.code)}">
<td><a href="/board/agency/${encodeURIComponent(a.code)}?t=${encodeURIComponent(opts.token)}">${esc(a.shortName)}</a></td>
<td class="n" data-k="issued">${a.issued}</td><td class="n" data-k="onTrack">${a.onTrack}</td><td class="n" data-k="warning">${a.warning}</td>
<td class="n" data-k="late">${a.late + a.notCompleted}</td><td class="n" data-k="done">${a.done}</td></tr>`;
  const negRows = b.negative.series
    .map((s) => `<tr data-agency-name="${esc(s.agency)}"><td>${esc(s.agency)}</td>${s.entries.map((n, i) => `<td class="n" data-period="${esc(b.negative.periods[i])}">${n}（${s.points[i]} 分）</td>`).join("")}</tr>`)
    .join("");
  const body = [
    kpis([
      { key: "issued", label: "已下达", value: t.issued },
      { key: "onTrack", label: "正常推进", value: t.onTrack },
      { key: "warning", label: "其中预警", value: t.warning },
      { key: "late", label: "逾期/未完成", value: t.late + t.notCompleted },
      { key: "done", label: "已完成", value: t.done },
    ]),
    `<section class="wide"><h2>各单位目标推进情况</h2><div class="chart" data-chart="agencies" role="img" aria-label="各单位目标推进情况柱状图"></div>
<div class="table-wrap"><table id="agency-table"><thead><tr><th>单位</th><th class="n">已下达</th><th class="n">正常推进</th><th class="n">其中预警</th><th class="n">逾期/未完成</th><th class="n">已完成</th></tr></thead>
<tbody>${b.agencies.map(row).join("")}</tbody>
<tfoot><tr data-agency="total"><th>合计</th><th class="n" data-k="issued">${t.issued}</th><th class="n" data-k="onTrack">${t.onTrack}</th><th class="n" data-k="warning">${t.warning}</th><th class="n" data-k="late">${t.late + t.notCompleted}</th><th class="n" data-k="done">${t.done}</th></tr></tfoot></table></div>
<p class="reason">“预警”为正常推进中临近时限且进度落后的目标，已计入“正常推进”。点击单位名称查看该单位明细。</p></section>`,
    `<section><h2>负面清单条目（按季度）</h2>${
      b.negative.periods.length
        ? `<div class="chart" data-chart="negative" role="img" aria-label="负面清单条目柱状图"></div><div class="table-wrap"><table id="negative-table"><thead><tr><th>单位</th>${b.negative.labels.map((l) => `<th class="n">${esc(l)}</th>`).join("")}</tr></thead><tbody>${negRows}</tbody></table></div>`
        : "<p>本年度尚未生成负面清单。</p>"
    }</section>`,
    `<section><h2>完成趋势（按月）</h2><div class="chart" data-chart="trend" role="img" aria-label="完成趋势折线图"></div></section>`,
  ].join("\n");
  return page({
    title: `${b.year}年度目标绩效看板·全省`,
    subtitle: `数据截至 ${opts.asOf}`,
    body,
    data: { kind: "province", ...b },
    footer: `只读页面，链接有效期至 ${opts.expires}，请勿转发。`,
  });
}
