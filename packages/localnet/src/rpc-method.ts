import type { Bank } from "./bank.js";

export interface RpcContext {
  bank: Bank;
  /** Called with anything a method threw that is not an RpcError (a bug, not bad input). */
  onInternalError?: (method: string, e: unknown) => void;
}

export type RpcMethod = (params: unknown[], ctx: RpcContext) => unknown;
export type RpcMethodTable = Record<string, RpcMethod>;
