import { createInterface } from "node:readline";
import type { InboundEvent } from "../../conversation/event.js";
import type { Reply } from "../../messages/reply.js";
import type { Clock } from "../../infra/clock.js";
import { ConsoleSession } from "./session.js";

/**
 * Terminal loop for `npm run chat` and `npm run demo`. "/as <账号>" switches who is speaking,
 * "/quit" leaves. Reads piped input too, so a conversation can be scripted.
 */
export async function runRepl(opts: {
  account: string;
  handle: (ev: InboundEvent) => Promise<Reply[]>;
  clock: Clock;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  greeting?: string;
  /** Runs after each answer is printed, e.g. to deliver the pushes it caused to console users. */
  afterReply?: () => Promise<void>;
  /** Where 导出 files are written (see ConsoleSession). */
  exportsDir?: string;
}): Promise<void> {
  const output = opts.output ?? process.stdout;
  const rl = createInterface({ input: opts.input ?? process.stdin, output, terminal: Boolean((opts.input ?? process.stdin) === process.stdin && process.stdin.isTTY) });
  let session = new ConsoleSession(opts.account, opts.handle, opts.clock, opts.exportsDir);
  let account = opts.account;
  const prompt = () => {
    rl.setPrompt(`${account}> `);
    rl.prompt();
  };
  if (opts.greeting) output.write(`${opts.greeting}\n`);
  prompt();
  for await (const line of rl) {
    const t = line.trim();
    if (t === "/quit" || t === "/exit") break;
    const as = /^\/as\s+(\S+)$/.exec(t);
    if (as) {
      account = as[1];
      session = new ConsoleSession(account, opts.handle, opts.clock, opts.exportsDir);
      output.write(`（已切换为 ${account}）\n`);
    } else if (t) {
      output.write(`${await session.send(t)}\n`);
      await opts.afterReply?.();
    }
    prompt();
  }
  rl.close();
}
