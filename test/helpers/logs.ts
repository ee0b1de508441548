import { Writable } from "node:stream";
import pino from "pino";

/** A pino logger writing JSON lines to memory, to assert on what was logged. */
export interface CapturedLogs {
  logger: pino.Logger;
  /** Every line so far, parsed. */
  lines(): Record<string, unknown>[];
  /** Every line so far, as written. */
  text(): string;
}

export function captureLogs(level = "debug"): CapturedLogs {
  let text = "";
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString("utf8");
      done();
    },
  });
  return {
    logger: pino({ level }, sink),
    lines: () =>
      text
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    text: () => text,
  };
}
