/**
 * Names of the custom error codes of the programs every Courier op may meet: System, SPL Token,
 * Token-2022 and Associated Token Account. Hand-written on purpose: the only published tables are
 * the Codama clients (@solana-program/system, token, token-2022), which need @solana/kit as a
 * second SDK, and token-2022's current client requires Node 24 (this tree runs on Node 20). The
 * codes are the programs' on-chain ABI (their `error.rs` enums) and never change meaning.
 */
import { SYSTEM_PROGRAM_ID, TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID } from "./program-logs.js";

export const ASSOCIATED_TOKEN_PROGRAM_ID = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL";

const SYSTEM_ERRORS = [
  "AccountAlreadyInUse",
  "ResultWithNegativeLamports",
  "InvalidProgramId",
  "InvalidAccountDataLength",
  "MaxSeedLengthExceeded",
  "AddressWithSeedMismatch",
  "NonceNoRecentBlockhashes",
  "NonceBlockhashNotExpired",
  "NonceUnexpectedBlockhashValue",
];

/** Shared by SPL Token and Token-2022 (codes 0..19). */
const TOKEN_ERRORS = [
  "NotRentExempt",
  "InsufficientFunds",
  "InvalidMint",
  "MintMismatch",
  "OwnerMismatch",
  "FixedSupply",
  "AlreadyInUse",
  "InvalidNumberOfProvidedSigners",
  "InvalidNumberOfRequiredSigners",
  "UninitializedState",
  "NativeNotSupported",
  "NonNativeHasBalance",
  "InvalidInstruction",
  "InvalidState",
  "Overflow",
  "AuthorityTypeNotSupported",
  "MintCannotFreeze",
  "AccountFrozen",
  "MintDecimalsMismatch",
  "NonNativeNotSupported",
];

const ASSOCIATED_TOKEN_ERRORS = ["InvalidOwner"];

const PROGRAMS: Record<string, { label: string; names: readonly string[] }> = {
  [SYSTEM_PROGRAM_ID]: { label: "System program", names: SYSTEM_ERRORS },
  [TOKEN_PROGRAM_ID]: { label: "SPL Token", names: TOKEN_ERRORS },
  [TOKEN_2022_PROGRAM_ID]: { label: "Token-2022", names: TOKEN_ERRORS },
  [ASSOCIATED_TOKEN_PROGRAM_ID]: { label: "Associated Token Account", names: ASSOCIATED_TOKEN_ERRORS },
};

/** `{program: "SPL Token", name: "MintDecimalsMismatch"}` for a known program's code; null otherwise. */
export function getProgramErrorName(programId: string | null, code: number): { program: string; name: string | null } | null {
  const entry = programId ? PROGRAMS[programId] : undefined;
  if (!entry) return null;
  // A Token-2022 extension error past the shared range still names its program.
  return { program: entry.label, name: entry.names[code] ?? null };
}
