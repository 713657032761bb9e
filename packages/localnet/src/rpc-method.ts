import type { Bank } from "./bank.js";

export interface RpcContext {
  bank: Bank;
}

export type RpcMethod = (params: unknown[], ctx: RpcContext) => unknown;
export type RpcMethodTable = Record<string, RpcMethod>;
