import { LIGHT_COLOR } from "./html.js";

/**
 * The board's browser script, served at /board/assets/board.js beside ECharts. It only draws: every
 * number it plots is already in the page's tables. Written as ES5 because in-app browsers on older
 * phones still run it; animations are off so a chart is complete when it first reports `finished`,
 * which sets <body data-charts-ready="true"> for whoever waits on it (people and the browser tests).
 */
export const BOARD_CLIENT_JS = `(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("board-data").textContent);
  var C = ${JSON.stringify(LIGHT_COLOR)};
  var FONT = '"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif';
  function base(extra) {
    var o = { animation: false, textStyle: { fontFamily: FONT }, tooltip: { trigger: "axis", confine: true },
      legend: { top: 0, type: "scroll" }, grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true } };
    for (var k in extra) o[k] = extra[k];
    return o;
  }
  function label(pos) { return { show: true, position: pos || "inside", formatter: function (p) { return p.value ? String(p.value) : ""; } }; }
  // On a 390 px phone neighbouring labels collide (12 months, a line over bars): a label that would
  // overlap another is left out; every value is still in the tooltip and the page's tables.
  var NO_OVERLAP = { hideOverlap: true };
  function trend() {
    return base({
      xAxis: { type: "category", data: data.trend.months },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: "平均进度", type: "line", data: data.trend.avgProgress, itemStyle: { color: C.done }, label: label("top"), labelLayout: NO_OVERLAP },
        { name: "完成率", type: "bar", data: data.trend.completedRate, itemStyle: { color: C.green }, barMaxWidth: 18, label: label("inside"), labelLayout: NO_OVERLAP }
      ]
    });
  }
  function agencies() {
    var a = data.agencies;
    function col(name, color, f) { return { name: name, type: "bar", stack: "all", data: a.map(f), itemStyle: { color: color }, label: label(), labelLayout: NO_OVERLAP, barMaxWidth: 28 }; }
    return base({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      yAxis: { type: "category", data: a.map(function (x) { return x.shortName; }), inverse: true },
      xAxis: { type: "value", minInterval: 1 },
      series: [
        col("正常", C.green, function (x) { return x.onTrack - x.warning; }),
        col("预警", C.yellow, function (x) { return x.warning; }),
        col("逾期/未完成", C.red, function (x) { return x.late + x.notCompleted; }),
        col("已完成", C.done, function (x) { return x.done; })
      ]
    });
  }
  function negative() {
    var palette = ["#a31d1d", "#1f5fbf", "#2e7d32", "#f0a800", "#6a3d9a", "#00838f", "#8d6e63", "#5c6bc0"];
    return base({
      color: palette,
      xAxis: { type: "category", data: data.negative.labels },
      grid: { left: 8, right: 16, top: 48, bottom: 8, containLabel: true },
      yAxis: { type: "value", minInterval: 1 },
      series: data.negative.series.map(function (s) { return { name: s.agency, type: "bar", data: s.entries, label: label("top"), labelLayout: NO_OVERLAP, barMaxWidth: 22 }; })
    });
  }
  function lights() {
    var c = data.counts;
    var parts = [["正常", c.onTrack - c.warning, C.green], ["预警", c.warning, C.yellow], ["逾期/未完成", c.late + c.notCompleted, C.red], ["已完成", c.done, C.done]];
    return { animation: false, textStyle: { fontFamily: FONT }, tooltip: { trigger: "item", confine: true }, legend: { top: 0 },
      series: [{ type: "pie", radius: ["38%", "68%"], center: ["50%", "58%"], label: { position: "inside", formatter: "{c}", color: "#fff", fontSize: 14 }, labelLayout: NO_OVERLAP,
        data: parts.filter(function (p) { return p[1] > 0; }).map(function (p) { return { name: p[0], value: p[1], itemStyle: { color: p[2] } }; }) }] };
  }
  function progress() {
    var t = data.targets;
    return base({
      legend: { show: false },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      yAxis: { type: "category", data: t.map(function (x) { return x.code; }), inverse: true },
      xAxis: { type: "value", min: 0, max: 100, name: "%" },
      series: [{ type: "bar", barMaxWidth: 16, label: label("right"), labelLayout: NO_OVERLAP,
        data: t.map(function (x) { return { value: x.progress, itemStyle: { color: x.state === "已完成" ? C.done : C[x.light] } }; }) }]
    });
  }
  var builders = { trend: trend, agencies: agencies, negative: negative, lights: lights, progress: progress };
  var nodes = document.querySelectorAll("[data-chart]");
  var pending = nodes.length;
  var charts = [];
  function done() { if (--pending <= 0) document.body.setAttribute("data-charts-ready", "true"); }
  if (pending === 0) document.body.setAttribute("data-charts-ready", "true");
  Array.prototype.forEach.call(nodes, function (el) {
    // One row per target or agency: long lists grow the chart instead of squeezing the bars.
    var rows = { progress: data.targets && data.targets.length, agencies: data.agencies && data.agencies.length }[el.getAttribute("data-chart")];
    if (rows) el.style.height = Math.max(280, rows * 28 + 70) + "px";
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var once = function () { chart.off("finished", once); done(); };
    chart.on("finished", once);
    chart.setOption(builders[el.getAttribute("data-chart")]());
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
`;
