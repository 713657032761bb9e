/** Where the CLI reads its environment and writes its output (process streams, or a test's). */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown };
}

export function getProcessIo(): CliIo {
  return { env: process.env, stdout: process.stdout, stderr: process.stderr };
}

/** JSON when asked for, or when stdout is not a terminal (scripts and pipes get JSON). */
export function wantsJson(io: CliIo, flag: boolean | undefined): boolean {
  return flag === true || io.stdout.isTTY !== true;
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Messages on stderr are one line: collapse anything multi-line a lower layer produced. */
export function toOneLine(message: string): string {
  return message.trim().replace(/\s*\n\s*/g, "; ");
}
