/** A startup failure with the exit code main.ts should use (2: configuration or data, 1: environment). */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = "StartupError";
  }
}

/** Exit code when Redis cannot be reached at start (2 is configuration or data, 1 Telegram). */
export const EXIT_REDIS_UNAVAILABLE = 3;
