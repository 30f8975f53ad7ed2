import { spawn, type ChildProcess } from "node:child_process";

export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  /** Everything the process wrote to stdout (its JSON log lines). */
  output(): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL: no shutdown hooks, no flushing — a crash. */
  kill(): Promise<void>;
}

/**
 * Starts a server script (src/main.ts or a benchmark baseline) in its own process, so a load
 * generator does not share its event loop and a crash test can really kill it. Resolves once the
 * process logs that it listens; PORT=0 lets the system pick a free loopback port.
 */
export async function startProcess(script: string, env: Record<string, string>): Promise<ServerProcess> {
  const proc = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${out.slice(-2000)}`)), 30_000);
    const check = () => {
      const m = /"msg":"listening".*?"port":(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        proc.stdout!.off("data", check);
        resolve(Number(m[1]));
      }
    };
    proc.stdout!.on("data", check);
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${out.slice(-2000)}`));
    });
  });
  const exited = () => proc.exitCode !== null || proc.signalCode !== null;
  const signal = async (s: NodeJS.Signals) => {
    if (exited()) return;
    const done = new Promise((r) => proc.once("exit", r));
    proc.kill(s);
    await done;
  };
  return { url: `http://127.0.0.1:${port}`, proc, output: () => out, stop: () => signal("SIGTERM"), kill: () => signal("SIGKILL") };
}
