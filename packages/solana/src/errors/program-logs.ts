/**
 * Reading program logs for what the error JSON leaves out: which program failed, and the human
 * reason (the system program's "insufficient lamports 100, need 5000").
 */
export const SYSTEM_PROGRAM_ID = "11111111111111111111111111111111";
export const TOKEN_PROGRAM_ID = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
export const TOKEN_2022_PROGRAM_ID = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";

const FAILED_LINE = /^Program (\S+) failed: (.*)$/;
const TOP_LEVEL_INVOKE = /^Program (\S+) invoke \[1\]$/;
const SYSTEM_INSUFFICIENT = /insufficient lamports (\d+), need (\d+)/;

/** The program whose failure ended the transaction: the first `failed:` line is the innermost one. */
export function getFailingProgram(logs: readonly string[] | null | undefined): string | null {
  for (const line of logs ?? []) {
    const m = FAILED_LINE.exec(line);
    if (m) return m[1] ?? null;
  }
  return null;
}

/** The program invoked by top-level instruction `index` (each top-level invoke logs `[1]`). */
export function getTopLevelProgram(logs: readonly string[] | null | undefined, index: number): string | null {
  let seen = 0;
  for (const line of logs ?? []) {
    const m = TOP_LEVEL_INVOKE.exec(line);
    if (!m) continue;
    if (seen === index) return m[1] ?? null;
    seen += 1;
  }
  return null;
}

/** Lamports the system program said it had and needed, when a transfer ran short. */
export function getSystemInsufficientLamports(logs: readonly string[] | null | undefined): { has: number; needs: number } | null {
  for (const line of logs ?? []) {
    const m = SYSTEM_INSUFFICIENT.exec(line);
    if (m) return { has: Number(m[1]), needs: Number(m[2]) };
  }
  return null;
}

export function isTokenProgram(programId: string | null): boolean {
  return programId === TOKEN_PROGRAM_ID || programId === TOKEN_2022_PROGRAM_ID;
}

/** True when a token program logged its InsufficientFunds error. */
export function hasTokenInsufficientFunds(logs: readonly string[] | null | undefined): boolean {
  return (logs ?? []).some((l) => l === "Program log: Error: insufficient funds");
}

/** Only `Program log:` lines of bounded total size, for error context (never unbounded). */
export function getProgramLogExcerpt(logs: readonly string[] | null | undefined, max = 20): string[] {
  const all = logs ?? [];
  return all.length <= max ? [...all] : all.slice(all.length - max);
}
