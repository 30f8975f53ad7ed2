/**
 * The few kinds of failure the domain reports. Each carries a Chinese message for the user; the
 * conversation core turns them into a reply, with the command's right form where it helps.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The user's input was wrong: unknown target, bad percentage, missing reason … */
export class InputError extends DomainError {
  constructor(message: string, code = "input") {
    super(code, message);
  }
}

/** Something the user named does not exist (or is not visible to them). */
export class NotFoundError extends InputError {
  constructor(message: string) {
    super(message, "not_found");
  }
}

/** The user's role or agency does not allow this. */
export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super("forbidden", message);
  }
}

/** The action is not possible in the current state (closed target, appeal already decided …). */
export class StateError extends DomainError {
  constructor(message: string) {
    super("state", message);
  }
}
