import type { Command } from "../command.js";
import { CommandRegistry } from "../registry.js";
import { careCommands } from "./care.js";
import { evaluationCommands } from "./evaluation.js";
import { workflowCommands } from "./workflow.js";
import { appealList, decide, fileAppeal } from "./appeals.js";
import { answer, ask, openToAgency } from "./communication.js";
import { helpCommand } from "./help.js";
import { ledger } from "./ledger.js";
import { negativeList } from "./negative-list.js";
import { overdue, query, stats } from "./office.js";
import { report } from "./report.js";
import { myTargets, targetDetail } from "./targets.js";
import { assign, verify } from "./verify-and-assign.js";
import { evidence } from "./evidence.js";
import { improve } from "./improvement.js";
import { registrationCommands } from "./registration.js";

/** Every chat command, in the order help lists them. Feature modules add theirs here. */
export function createRegistry(extra: Command[] = []): CommandRegistry {
  const commands: Command[] = [];
  commands.push(
    helpCommand(() => commands),
    myTargets,
    targetDetail,
    report,
    evidence,
    improve,
    ledger,
    negativeList,
    fileAppeal,
    ask,
    query,
    stats,
    overdue,
    appealList,
    decide,
    answer,
    openToAgency,
    verify,
    assign,
    ...workflowCommands,
    ...evaluationCommands,
    ...careCommands,
    ...registrationCommands,
    ...extra,
  );
  return new CommandRegistry(commands);
}
