/**
 * What Anchor's account resolver reads from a chain (`connection.getAccountInfo`, for seeds taken
 * from account data, relations and on-chain IDLs), answered through Courier's RPC pool so it gets
 * the pool's failover and rate limits. Any other Connection method is refused.
 */
import { PublicKey } from "@solana/web3.js";
import type { RpcPool } from "../../rpc/types.js";

export function createPoolConnection(pool: RpcPool | null): unknown {
  const getAccountInfo = async (address: PublicKey) => {
    if (!pool) throw new Error("no chain access while scheduling");
    const info = await pool.getAccountInfo(address.toBase58());
    if (!info) return null;
    return { lamports: info.lamports, owner: new PublicKey(info.owner), data: Buffer.from(info.data), executable: false, rentEpoch: 0 };
  };
  return new Proxy(
    { getAccountInfo },
    {
      get: (target, key) =>
        key === "getAccountInfo" ? target.getAccountInfo : () => Promise.reject(new Error(`anchor.invoke does not support connection.${String(key)}`)),
    },
  );
}
