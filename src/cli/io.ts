/**
 * What a command-line tool reads and writes, passed to its `run(argv, io)`: the process's own streams
 * and environment when run as a script, strings and a chosen environment when run in-process (tests).
 */
import { realpath } from "node:fs/promises";
import { pathToFileURL } from "node:url";

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: NodeJS.ProcessEnv;
}

/** A command: arguments after the script's name, what it reads and writes; resolves with its exit code. */
export type Cli = (argv: string[], io: CliIo) => Promise<number>;

export function processIo(): CliIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** True when the module at `moduleUrl` is the script node was started with (not imported). */
export async function isEntryPoint(moduleUrl: string): Promise<boolean> {
  const script = process.argv[1];
  if (!script) return false;
  return pathToFileURL(await realpath(script)).href === moduleUrl;
}

/** Runs `cli` with the process's arguments and streams when its module is the script node was started with. */
export async function runIfEntryPoint(moduleUrl: string, cli: Cli): Promise<void> {
  if (!(await isEntryPoint(moduleUrl))) return;
  // Output piped to a reader that stops early (`| head`) ends the command quietly, as Unix tools do.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
  process.exitCode = await cli(process.argv.slice(2), processIo());
}

/** Prints a line on the io's stdout or stderr. */
export function println(stream: CliIo["stdout"], line: string): void {
  stream.write(`${line}\n`);
}
