import type { SimResponse } from "./api-routes.js";
import type { SimState } from "./state.js";

/**
 * 通讯录 reads of an enterprise internal app on the legacy host (oapi), as DingTalk documents them:
 * - POST /topapi/v2/department/listsub {dept_id} → the next level of departments only (root is 1);
 *   needs 通讯录部门信息读权限 (qyapi_get_department_list);
 * - POST /topapi/v2/user/list {dept_id, cursor, size ≤ 100} → {has_more, next_cursor, list}; needs
 *   通讯录部门成员读权限 (qyapi_get_department_member, documented for listsimple; assumed the same
 *   here); `mobile` only with the 企业员工手机号信息 permission;
 * - a missing permission answers errcode 88 with sub_code 60011 "没有调用该接口的权限"; an unknown
 *   department errcode 60003 "未找到部门"; bad parameters 400002 "无效的参数".
 */
export interface SimDept {
  dept_id: number;
  name: string;
  parent_id: number;
}

export interface SimUser {
  userid: string;
  name: string;
  dept_id_list: number[];
  mobile?: string;
}

export interface SimContacts {
  departments: SimDept[];
  users: SimUser[];
  /** Permissions granted to the app in 开发者后台 → 权限管理 (default: department and member read, no mobile). */
  permissions?: { departments?: boolean; members?: boolean; mobile?: boolean };
}

const legacy = (body: Record<string, unknown>): SimResponse => ({ status: 200, body: { errcode: 0, errmsg: "ok", request_id: "sim", ...body } });
const legacyError = (errcode: number, errmsg: string, sub?: { sub_code: string; sub_msg: string }): SimResponse => ({ status: 200, body: { errcode, errmsg, ...sub, request_id: "sim" } });
const noPermission = (permission: string) =>
  legacyError(88, `ding talk error[subcode=60011,submsg=没有调用该接口的权限：${permission}]`, { sub_code: "60011", sub_msg: "没有调用该接口的权限" });

const PAGE_MAX = 100;

export function listSubDepartments(state: SimState, contacts: SimContacts, query: Record<string, string>, body: unknown): SimResponse {
  if (!state.tokenValid(query.access_token)) return legacyError(40014, "不合法的access_token");
  if (contacts.permissions?.departments === false) return noPermission("qyapi_get_department_list");
  const deptId = Number((body as { dept_id?: unknown } | undefined)?.dept_id ?? 1);
  if (deptId !== 1 && !contacts.departments.some((d) => d.dept_id === deptId)) return legacyError(60003, "未找到部门");
  return legacy({ result: contacts.departments.filter((d) => d.parent_id === deptId).map((d) => ({ dept_id: d.dept_id, name: d.name, parent_id: d.parent_id, auto_add_user: false, create_dept_group: false })) });
}

export function listDepartmentUsers(state: SimState, contacts: SimContacts, query: Record<string, string>, body: unknown): SimResponse {
  if (!state.tokenValid(query.access_token)) return legacyError(40014, "不合法的access_token");
  if (contacts.permissions?.members === false) return noPermission("qyapi_get_department_member");
  const b = (body ?? {}) as { dept_id?: unknown; cursor?: unknown; size?: unknown };
  const deptId = Number(b.dept_id);
  const cursor = Number(b.cursor ?? 0);
  const size = Number(b.size);
  if (!Number.isInteger(deptId) || !Number.isInteger(cursor) || cursor < 0 || !Number.isInteger(size) || size < 1 || size > PAGE_MAX) {
    return legacyError(400002, "无效的参数");
  }
  if (deptId !== 1 && !contacts.departments.some((d) => d.dept_id === deptId)) return legacyError(60003, "未找到部门");
  const all = contacts.users.filter((u) => u.dept_id_list.includes(deptId));
  const page = all.slice(cursor, cursor + size);
  const list = page.map((u) => ({
    userid: u.userid,
    name: u.name,
    dept_id_list: u.dept_id_list,
    active: true,
    ...(contacts.permissions?.mobile && u.mobile ? { mobile: u.mobile, state_code: "86" } : {}),
  }));
  const more = cursor + size < all.length;
  return legacy({ result: { has_more: more, ...(more ? { next_cursor: cursor + size } : {}), list } });
}
