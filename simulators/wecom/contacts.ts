import type { SimResponse } from "./api-handlers.js";
import type { Obj } from "./state.js";

/**
 * 通讯录 reads a self-built app may make (docs 90208 获取部门列表, 90201 获取部门成员详情), as WeCom
 * answers them today:
 * - only departments in the app's visible range; a department outside it → 60011, an unknown one → 60003;
 * - user/list lists the members directly in one department (fetch_child is no longer honoured);
 * - since 2022-06-20 newly created self-built apps get no mobile/email/avatar/gender/address in member
 *   details (doc 90201 notice), so `mobile` is returned only when `returnsMobile` is set (an older app).
 */
export interface SimDepartment {
  id: number;
  name: string;
  parentid: number;
  order?: number;
}

export interface SimMember {
  userid: string;
  name: string;
  department: number[];
  mobile?: string;
}

export interface SimDirectory {
  departments: SimDepartment[];
  members: SimMember[];
  /** Departments outside the app's visible range (可见范围). */
  hidden?: number[];
  /** An app created before 2022-06-20 still receives mobile; default false (a new app). */
  returnsMobile?: boolean;
}

const ok = (extra: Obj): SimResponse => ({ status: 200, json: { errcode: 0, errmsg: "ok", ...extra } });
const err = (errcode: number, errmsg: string): SimResponse => ({ status: 200, json: { errcode, errmsg } });
const NO_PRIVILEGE = () => err(60011, "no privilege to access/modify contact/party/agent");

export function departmentList(dir: SimDirectory, query: Record<string, string>): SimResponse {
  const visible = dir.departments.filter((d) => !dir.hidden?.includes(d.id));
  if (query.id === undefined || query.id === "") return ok({ department: visible.map(publicDepartment) });
  const id = Number(query.id);
  if (!dir.departments.some((d) => d.id === id)) return err(60003, "department not found");
  if (dir.hidden?.includes(id)) return NO_PRIVILEGE();
  // The department and everything below it (doc 90208: 获取指定部门及其下的子部门，递归).
  const ids = new Set([id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of visible) if (ids.has(d.parentid) && !ids.has(d.id)) grew = Boolean(ids.add(d.id));
  }
  return ok({ department: visible.filter((d) => ids.has(d.id)).map(publicDepartment) });
}

export function memberList(dir: SimDirectory, query: Record<string, string>): SimResponse {
  if (!query.department_id) return err(40066, "invalid department_id"); // UNCONFIRMED errcode
  const id = Number(query.department_id);
  if (!dir.departments.some((d) => d.id === id)) return err(60003, "department not found");
  if (dir.hidden?.includes(id)) return NO_PRIVILEGE();
  const userlist = dir.members
    .filter((m) => m.department.includes(id))
    .map((m) => ({
      userid: m.userid,
      name: m.name,
      // Only the departments the app may see (doc 90201: 仅返回该应用有查看权限的部门id).
      department: m.department.filter((d) => !dir.hidden?.includes(d)),
      status: 1,
      ...(dir.returnsMobile && m.mobile ? { mobile: m.mobile } : {}),
    }));
  return ok({ userlist });
}

function publicDepartment(d: SimDepartment): Obj {
  return { id: d.id, name: d.name, parentid: d.parentid, order: d.order ?? 100000000, department_leader: [] };
}
