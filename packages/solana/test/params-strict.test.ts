/**
 * The built-in actions' params as scheduling sees them (through the agent registry): strict
 * (an unknown key is refused by name, never silently dropped) and validated without throwing.
 */
import { createActionRegistry, isCourierError } from "@courier/agent";
import { registerSolanaActions } from "@courier/solana";
import { describe, expect, it } from "vitest";

const KEY = "11111111111111111111111111111111";
const MINT = "So11111111111111111111111111111111111111112";

const VALID: Record<string, Record<string, unknown>> = {
  "sol.transfer": { to: KEY, lamports: 5 },
  "spl.transfer": { mint: MINT, to: KEY, amount: "10" },
  memo: { text: "hi" },
  "anchor.invoke": { program_id: KEY, idl: { instructions: [] }, method: "m" },
};

function refusal(action: string, params: unknown): { field: unknown; message: string } | null {
  const registry = createActionRegistry();
  registerSolanaActions(registry);
  try {
    registry.validate(action, params);
    return null;
  } catch (e) {
    if (!isCourierError(e, "COURIER__ACTION__INVALID_PARAMS")) throw e;
    return { field: e.context.field, message: e.message };
  }
}

describe("built-in action params", () => {
  it("every built-in refuses an unknown key by name", () => {
    for (const [action, params] of Object.entries(VALID)) {
      expect(refusal(action, params), action).toBeNull();
      expect(refusal(action, { ...params, nonce_acount: KEY }), action).toEqual({ field: "params.nonce_acount", message: "params.nonce_acount: unknown field" });
    }
  });

  it("spl.transfer amounts that are not integers are refused, never thrown on", () => {
    for (const amount of ["1.5", "abc", "", "-1", "1e3", 1.5, -1]) {
      expect(refusal("spl.transfer", { ...VALID["spl.transfer"], amount }), String(amount)).toMatchObject({ field: "params.amount" });
    }
    expect(refusal("spl.transfer", { ...VALID["spl.transfer"], amount: "18446744073709551616" })?.message).toMatch(/u64/);
    expect(refusal("spl.transfer", { ...VALID["spl.transfer"], amount: "18446744073709551615" })).toBeNull();
  });

  it("accepts nonce_account where the action takes it", () => {
    expect(refusal("sol.transfer", { ...VALID["sol.transfer"], nonce_account: KEY })).toBeNull();
    expect(refusal("memo", { ...VALID.memo, nonce_account: KEY })).toBeNull();
  });
});
