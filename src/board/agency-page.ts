import { chineseDate } from "../domain/calendar/calendar.js";
import type { AgencyBoard, BoardTarget } from "./data.js";
import { esc, kpis, page } from "./html.js";

function targetRow(t: BoardTarget): string {
  const milestones = t.milestones
    .map((m) => `<li><span class="dot ${m.light}"></span>${esc(m.label)}：${esc(chineseDate(m.due))}前达到 ${m.expected}%｜${esc(m.status)}</li>`)
    .join("");
  // On a phone the key columns (light, code, target, progress) fill the width; state, owners and
  // deadline move under the title instead of pushing the table sideways.
  return `<tr data-target="${esc(t.code)}" data-light="${t.light}">
<td><span class="dot ${t.light}" title="${esc(t.lightLabel)}"></span><span class="wide-only">${esc(t.lightLabel)}</span></td>
<td>${esc(t.code)}</td>
<td class="title">${esc(t.title)}<div class="reason phone-only">${esc(t.state)}｜${esc(t.owners)}｜${esc(chineseDate(t.deadline))}前</div>${
    t.light !== "green" ? `<div class="reason">${esc(t.reason)}</div>` : ""
  }${milestones ? `<details><summary>季度节点</summary><ul>${milestones}</ul></details>` : ""}</td>
<td class="n" data-k="progress">${t.progress}%</td>
<td class="wide-only">${esc(t.state)}</td>
<td class="wide-only">${esc(t.owners)}</td>
<td class="wide-only">${esc(chineseDate(t.deadline))}</td></tr>`;
}

function negativeLists(b: AgencyBoard): string {
  if (b.negativeLists.length === 0) return `<section class="wide" id="negative-lists"><h2>负面清单</h2><p>本年度暂无负面清单。</p></section>`;
  const lists = b.negativeLists
    .map(
      (l) => `<div data-period="${esc(l.period)}"><h3>${esc(l.label)}：${l.entries.length} 项，合计 ${l.totalPoints} 分</h3>${
        l.entries.length
          ? `<ul class="negative">${l.entries.map((e) => `<li data-entry="${esc(e.ref)}">${esc(e.ref)}｜${esc(e.reason)}｜${e.points} 分${e.supplementary ? "（核查后补充）" : ""}</li>`).join("")}</ul>`
          : "<p>本季度无负面清单事项。</p>"
      }</div>`,
    )
    .join("");
  return `<section class="wide" id="negative-lists"><h2>负面清单（§2.23）</h2>${lists}<p class="reason">对条目有异议的，请在清单送达后申诉期内在对话中发送“申诉 &lt;季度-条目号&gt; &lt;理由&gt;”，如“申诉 ${esc(b.negativeLists[0].period)}-1 &lt;理由&gt;”。</p></section>`;
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
  const body = [
    ...(opts.backLink ? [`<section class="wide"><a href="${esc(opts.backLink)}">← 返回全省看板</a></section>`] : []),
    kpis([
      { key: "issued", label: "已下达", value: c.issued },
      { key: "onTrack", label: "正常推进", value: c.onTrack },
      { key: "warning", label: "其中预警", value: c.warning },
      { key: "late", label: "逾期/未完成", value: c.late + c.notCompleted },
      { key: "done", label: "已完成", value: c.done },
    ]),
    negativeLists(b),
    `<section><h2>预警分布</h2><div class="chart" data-chart="lights" role="img" aria-label="目标预警分布图"></div></section>`,
    `<section><h2>各目标进度</h2><div class="chart" data-chart="progress" role="img" aria-label="各目标进度条形图"></div></section>`,
    `<section class="wide"><h2>目标清单</h2><div class="table-wrap"><table id="target-table"><thead><tr><th>预警</th><th>编号</th><th>目标</th><th class="n">进度</th><th class="wide-only">状态</th><th class="wide-only">责任人</th><th class="wide-only">完成时限</th></tr></thead>
<tbody>${b.targets.map(targetRow).join("")}</tbody></table></div>
<p class="reason">绿色：正常推进或已完成；黄色：临近时限且进度落后；红色：逾期或未完成。</p></section>`,
    `<section><h2>最近汇报</h2>${reports ? `<ul class="reports">${reports}</ul>` : "<p>暂无台账记录。</p>"}</section>`,
    `<section><h2>完成趋势（按月）</h2><div class="chart" data-chart="trend" role="img" aria-label="完成趋势折线图"></div></section>`,
  ].join("\n");
  return page({
    title: `${b.agency.shortName}${b.year}年度目标看板`,
    subtitle: `${b.agency.name}｜数据截至 ${opts.asOf}`,
    body,
    data: { kind: "agency", ...b, reports: [], negativeLists: [] },
    footer: `只读页面，链接有效期至 ${opts.expires}，请勿转发。`,
  });
}
