import pino from "pino";
import { textSink } from "./text-sink.js";

/** A pino logger writing JSON lines to memory, to assert on what was logged. */
export interface CapturedLogs {
  logger: pino.Logger;
  /** Every line so far, parsed. */
  lines(): Record<string, unknown>[];
  /** Every line so far, as written. */
  text(): string;
}

export function captureLogs(level = "debug"): CapturedLogs {
  const sink = textSink();
  return {
    logger: pino({ level }, sink.stream),
    lines: () =>
      sink
        .text()
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    text: sink.text,
  };
}
