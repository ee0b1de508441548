/**
 * Runs a command of src/cli in-process through its `run(argv, io)`, with stdin given as a string and
 * stdout and stderr captured: what the command prints and its exit code, without starting a process.
 * (One subprocess test per entry point, in test/cli/entry-points.test.ts, checks the script wiring.)
 */
import { Readable } from "node:stream";
import type { Cli } from "../../src/cli/io.js";

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  cli: Cli,
  argv: string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const status = await cli(argv, {
    stdin: Readable.from([options.stdin ?? ""]),
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: options.env ?? {},
  });
  return { status, stdout, stderr };
}
