import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * `npm test` on a fresh machine: its pretest step runs scripts/ensure-chromium.sh. The script runs for
 * real under bash; only the system tools it calls (id, dpkg-query, apt-get, sudo) are stand-ins on
 * PATH, so the root / no-root / no-sudo paths can be shown without touching this machine's packages.
 */
const root = path.resolve("test/.tmp/ensure-chromium");
afterAll(() => rmSync(root, { recursive: true, force: true }));

function which(tool: string): string {
  const found = ["/usr/bin", "/bin"].map((d) => path.join(d, tool)).find((p) => existsSync(p));
  if (!found) throw new Error(`${tool} not found`);
  return found;
}

function machine(name: string, opts: { uid: number; sudo: boolean }) {
  const dir = path.join(root, name);
  const bin = path.join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  const chromium = path.join(dir, "chromium");
  const log = path.join(dir, "apt.log");
  const tool = (n: string, body: string) => {
    writeFileSync(path.join(bin, n), `#!/bin/bash\n${body}\n`);
    chmodSync(path.join(bin, n), 0o755);
  };
  tool("id", `echo ${opts.uid}`);
  // Installed packages are the lines of a file the stand-in apt-get appends to.
  tool("dpkg-query", `grep -qx "\${@: -1}" "${dir}/installed" 2>/dev/null && { echo "install ok installed"; exit 0; }; exit 1`);
  tool(
    "apt-get",
    `echo "$*" >> "${log}"; if [ "$1" = install ]; then for p in "$@"; do case "$p" in -*) ;; install) ;; *) echo "$p" >> "${dir}/installed";; esac; done; printf '#!/bin/sh\\n' > "${chromium}"; chmod +x "${chromium}"; fi`,
  );
  if (opts.sudo) tool("sudo", `[ "$1" = -n ] && exit 0; "$@"`);
  // Nothing else from the real machine: its own sudo or apt-get must not be found.
  for (const real of ["grep", "chmod"]) if (!existsSync(path.join(bin, real))) symlinkSync(which(real), path.join(bin, real));
  const run = () =>
    spawnSync("/bin/bash", ["scripts/ensure-chromium.sh"], {
      env: { PATH: bin, CHROMIUM_PATH: chromium, HOME: dir },
      encoding: "utf8",
      input: "",
    });
  return { run, chromium, log };
}

describe("npm test sets up its browser (scripts/ensure-chromium.sh as pretest)", () => {
  it("package.json runs the script before vitest, and .ci/run calls the same npm test", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.pretest).toBe("bash scripts/ensure-chromium.sh");
    expect(pkg.scripts["pretest:pg"]).toBe("bash scripts/ensure-chromium.sh");
    const ci = readFileSync(".ci/run", "utf8");
    expect(ci).toMatch(/^npm test$/m);
    expect(ci).not.toMatch(/^bash scripts\/ensure-chromium\.sh$/m);
  });

  it("as root on a machine without Chromium: installs chromium and fonts-noto-cjk, then reports the version", () => {
    const m = machine("root", { uid: 0, sudo: false });
    const r = m.run();
    expect(r.status).toBe(0);
    expect(existsSync(m.chromium)).toBe(true);
    expect(readFileSync(m.log, "utf8")).toContain("install -y -qq --no-install-recommends chromium fonts-noto-cjk");
    // A second run finds both and installs nothing.
    const again = m.run();
    expect(again.status).toBe(0);
    expect(again.stdout).toContain("already installed");
    expect(readFileSync(m.log, "utf8").match(/^install /gm)).toHaveLength(1);
  });

  it("as a user with sudo: installs through sudo", () => {
    const m = machine("sudo", { uid: 1000, sudo: true });
    const r = m.run();
    expect(r.status).toBe(0);
    expect(existsSync(m.chromium)).toBe(true);
  });

  it("without root and without sudo: fails and prints the exact command to run as root", () => {
    const m = machine("nosudo", { uid: 1000, sudo: false });
    const r = m.run();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("请以 root 身份执行：apt-get update && apt-get install -y --no-install-recommends chromium fonts-noto-cjk");
    expect(existsSync(m.log)).toBe(false);
  });
});
