import { describe, expect, it } from "vitest";
import { isStorageFault } from "../../src/infra/db-errors.js";

/** Shaped as @prisma/adapter-pg reports a PostgreSQL error: the SQLSTATE sits in the cause. */
function pgError(code: string): Error {
  return Object.assign(new Error("pg"), { name: "DriverAdapterError", cause: { kind: "postgres", code, originalCode: code } });
}

describe("a database error is a storage fault only when a retry could succeed", () => {
  it("counts a dropped connection, a shutdown and an I/O error as faults", () => {
    expect(isStorageFault(pgError("57P01"))).toBe(true);
    expect(isStorageFault(pgError("08006"))).toBe(true);
    expect(isStorageFault(pgError("58030"))).toBe(true);
    expect(isStorageFault(Object.assign(new Error("x"), { name: "DriverAdapterError", cause: { kind: "TooManyConnections" } }))).toBe(true);
  });

  it("does not count text the database refuses (NUL, SQLSTATE 22021), a broken constraint or a raised exception: a redelivery would fail the same way", () => {
    expect(isStorageFault(pgError("22021"))).toBe(false);
    expect(isStorageFault(pgError("23505"))).toBe(false);
    expect(isStorageFault(pgError("P0001"))).toBe(false);
  });
});
