import { describe, expect, it } from "vitest";
import { createLogger, lazyChild } from "../../src/infra/logger.js";

/** A request's child loggers are made only when written to, and then write what a child would. */
function captured() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger("info", { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { log, lines };
}

describe("lazy child loggers", () => {
  it("write their bindings, a child's bindings merged with its parent's, and redact secrets as the base logger does", () => {
    const { log, lines } = captured();
    const ev = lazyChild(log, { eventKey: "msg:1", sender: "fgw_zhao" });
    const user = ev.child({ user: "zhao" });
    user.info({ msg: "reported", req: { token: "s3cret" } });
    ev.warn("over budget");
    expect(lines).toMatchObject([
      { level: 30, eventKey: "msg:1", sender: "fgw_zhao", user: "zhao", msg: "reported", req: { token: "[redacted]" } },
      { level: 40, eventKey: "msg:1", sender: "fgw_zhao", msg: "over budget" },
    ]);
  });

  it("honour the level of the logger they come from", () => {
    const { log, lines } = captured();
    const ev = lazyChild(log, { eventKey: "msg:2" });
    ev.debug("not at info");
    expect(ev.isLevelEnabled("debug")).toBe(false);
    expect(ev.level).toBe("info");
    expect(lines).toEqual([]);
  });
});
