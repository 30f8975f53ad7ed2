import ExcelJS from "exceljs";
import { importTargetFile } from "../../src/excel/import-file.js";
import type { Db } from "../../src/infra/db.js";

/**
 * Realistic 目标任务分解表 files for tests, written with exceljs directly (not with the project's
 * template code), the way an office clerk fills one in: three agencies of both management types,
 * their people, 1+6+N functional targets with weights adding up to 50, two 机关建设 targets each,
 * indicators in two levels (three for the 脱贫攻坚 target) and four quarterly milestones per functional target.
 */
export type SheetName = "单位" | "人员" | "目标" | "指标" | "季度节点";
export type Row = (string | number | Date | null)[];
export type Sheets = Partial<Record<SheetName, Row[]>>;

export const HEADERS: Record<SheetName, string[]> = {
  单位: ["单位代码*", "单位全称*", "单位简称*", "管理方式*"],
  人员: ["账号*", "姓名*", "角色*", "所属单位*", "企业微信账号", "钉钉账号", "手机号"],
  目标: ["目标编号*", "单位*", "目标类别*", "机关建设项目", "来源", "管理方式*", "文号", "目标名称*", "目标要求", "权重*", "完成时限*", "责任人"],
  指标: ["目标编号*", "指标编号*", "指标级别*", "上级指标编号", "指标名称*", "具体要求", "完成标准", "完成时限", "目标值", "计量单位"],
  季度节点: ["目标编号*", "季度*", "截止日期*", "应达进度*", "节点任务*"],
};

/** An Excel date cell showing the given day. */
export const d = (day: string) => new Date(`${day}T00:00:00Z`);

const AGENCIES = [
  { code: "JTT", name: "贵州省交通运输厅", short: "省交通运输厅", type: "直接管理", people: [["jtt_officer", "王敏", "单位目标办"], ["jtt_head", "周建国", "单位主要负责人"], ["jtt_wang", "王强", "目标责任人"], ["jtt_li", "李娜", "目标责任人"]],
    themes: ["农村公路“组组通”巩固提升", "高速公路建设投资", "水运通道建设", "道路运输安全整治", "交通物流降本增效", "公路养护管理"] },
  { code: "WJW", name: "贵州省卫生健康委员会", short: "省卫生健康委", type: "直接管理", people: [["wjw_officer", "陈静", "单位目标办"], ["wjw_head", "罗明", "单位主要负责人"], ["wjw_zhou", "周涛", "目标责任人"], ["wjw_wu", "吴琳", "目标责任人"]],
    themes: ["县域医共体建设", "公共卫生应急能力", "基层医疗服务能力提升", "妇幼健康促进", "医疗质量安全管理", "智慧医院建设"] },
  { code: "GXS", name: "贵州省供销合作社联合社", short: "省供销社", type: "委托管理", people: [["gxs_officer", "杨洁", "单位目标办"], ["gxs_head", "龙飞", "单位主要负责人"], ["gxs_tian", "田园", "目标责任人"]],
    themes: ["农产品产销对接", "基层供销社改造", "农资保供稳价", "冷链物流网络建设", "电子商务进农村", "社有企业改革"] },
];

/** A complete, valid file for the 2026 cycle. */
export function provinceFile(): Required<Sheets> {
  const sheets: Required<Sheets> = { 单位: [], 人员: [], 目标: [], 指标: [], 季度节点: [] };
  for (const a of AGENCIES) {
    sheets.单位.push([a.code, a.name, a.short, a.type]);
    for (const [account, name, role] of a.people) sheets.人员.push([account, name, role, a.short, `wx_${account}`, null]);
    const staff = a.people.filter((p) => p[2] === "目标责任人").map((p) => p[0]);
    const rows: Row[] = [
      [`${a.code}-01`, a.short, "职能绩效目标", null, "脱贫攻坚目标", "初始目标", null, `${a.short}定点帮扶巩固拓展脱贫攻坚成果`, "完成定点帮扶村年度帮扶计划", 8, d("2026-12-20"), staff[0]],
      ...a.themes.map((t, i): Row => [`${a.code}-0${i + 2}`, a.code, "职能绩效目标", null, "本级目标", "初始目标", null, t, `按年度工作要点完成${t}`, 6, d("2026-12-20"), staff[i % staff.length]]),
      [`${a.code}-08`, a.name, "职能绩效目标", null, "上级目标", "初始目标", null, `落实国家部委年度重点任务（${a.short}）`, "按部委部署完成", 6, d("2026-12-20"), staff.join("、")],
      [`${a.code}-09`, a.short, "机关建设目标", "组织建设", null, "初始目标", null, "基层党组织标准化规范化建设", "", 8, d("2026-12-20"), a.people[0][0]],
      [`${a.code}-10`, a.short, "机关建设目标", "党风廉政建设", null, "初始目标", null, "党风廉政建设责任制落实", "", 8, d("2026-12-20"), null],
      [`${a.code}-11`, a.short, "职能绩效目标", null, "上级目标", "动态目标", "黔府办发〔2026〕12号", `落实数字政府建设专项任务（${a.short}）`, "按文件要求完成", 0, "2026-11-30", staff[0]],
    ];
    sheets.目标.push(...rows);
    for (const r of rows) {
      const code = String(r[0]);
      const deadline = r[10] instanceof Date ? r[10].toISOString().slice(0, 10) : String(r[10]);
      sheets.指标.push([code, "1", "一级", null, String(r[7]), "按期完成", "年度任务全部完成", null, null, null]);
      sheets.指标.push([code, "1.1", "二级", "1", "阶段成果", "每季度形成阶段成果", "季度节点全部达成", d("2026-11-30"), 4, "个"]);
      if (code.endsWith("-01")) sheets.指标.push([code, "1.1.1", "三级", "1.1", "帮扶村集体经济收入", "每村年收入不低于 10 万元", "村集体账目核实", d("2026-11-30"), 10, "万元"]);
      if (r[2] !== "职能绩效目标") continue;
      sheets.季度节点.push(
        [code, "第一季度", d("2026-03-31"), 25, "完成年度实施方案"],
        [code, "第二季度", d("2026-06-30"), 50, "完成过半任务"],
        [code, "第三季度", "2026-09-30", "75%", "完成主体任务"],
        [code, "第四季度", d(deadline), 100, "完成全年任务并形成总结"],
      );
    }
  }
  return sheets;
}

export async function buildXlsx(sheets: Sheets, headers: Partial<Record<SheetName, string[]>> = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets) as [SheetName, Row[]][]) {
    const ws = wb.addWorksheet(name);
    ws.addRow(headers[name] ?? HEADERS[name]);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** Deep copy, so each test mutates its own file. */
export function clone(s: Required<Sheets>): Required<Sheets> {
  return Object.fromEntries(Object.entries(s).map(([k, rows]) => [k, rows.map((r) => [...r])])) as Required<Sheets>;
}

/** Sets a cell by spreadsheet row number (the header is row 1) and column header. */
export function setCell(s: Sheets, sheet: SheetName, row: number, header: string, value: Row[number]): void {
  const col = HEADERS[sheet].findIndex((h) => h.replace("*", "") === header);
  if (col < 0) throw new Error(`no column ${header} in ${sheet}`);
  s[sheet]![row - 2][col] = value;
}

/** The spreadsheet row number of a target code in the 目标 sheet. */
export function targetRow(s: Sheets, code: string): number {
  return s.目标!.findIndex((r) => r[0] === code) + 2;
}

/** Imports a file built from `sheets` in one transaction, as the CLI and the chat do. */
export async function importSheets(db: Db, sheets: Sheets, opts: { year?: number; fileName?: string; headers?: Partial<Record<SheetName, string[]>> } = {}) {
  const content = await buildXlsx(sheets, opts.headers);
  const out = await db.$transaction((tx) => importTargetFile(tx, content, { fileName: opts.fileName ?? "目标任务分解表.xlsx", year: opts.year ?? 2026 }), { timeout: 60_000 });
  return { ...out, content };
}

/** Row counts of everything an import may write. */
export async function counts(db: Db) {
  const [cycles, agencies, users, identities, targets, owners, indicators, milestones] = await Promise.all([
    db.cycle.count(),
    db.agency.count(),
    db.user.count(),
    db.platformIdentity.count(),
    db.target.count(),
    db.targetOwner.count(),
    db.indicator.count(),
    db.milestone.count(),
  ]);
  return { cycles, agencies, users, identities, targets, owners, indicators, milestones };
}
