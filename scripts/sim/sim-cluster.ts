/**
 * The cluster a simulation runs against: the embedded localnet (started here on a free port,
 * with a fresh funded signer) or a remote cluster named by --rpc with the operator's keypair.
 * Either way the simulation reads the chain through this one interface: balances, whether a
 * signature landed, and the JSON-RPC requests the cluster saw (localnet only; a remote cluster
 * cannot tell, the crank's own pool counts instead).
 */
import { join } from "node:path";
import { CourierError, coerceError } from "./workspace.js";
import { type Localnet, startLocalnet } from "./workspace.js";
import { createRpcPool, generateKeypairFile, loadKeypair, redactUrl, type RpcPool, type Signer } from "./workspace.js";

export const LAMPORTS_PER_SOL = 1_000_000_000;
/** Genesis hash of mainnet-beta: simulations send money to throwaway addresses, so never there. */
const MAINNET_GENESIS = "5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d";
// Status and balance reads are batched: getMultipleAccounts takes at most 100 keys.
const ACCOUNTS_PER_CALL = 100;

export interface SimCluster {
  kind: "localnet" | "remote";
  /** The URL cranks send to. */
  url: string;
  /** The URL without secrets (API keys in path or query), for reports. */
  label: string;
  keypairPath: string;
  signer: Signer;
  /** The embedded localnet (fault switch, request counts), or null on a remote cluster. */
  localnet: Localnet | null;
  /** Lamports held by each address at `confirmed`. */
  getBalances(addresses: string[]): Promise<bigint[]>;
  /** For each signature: did it land without an error. */
  getLanded(signatures: string[]): Promise<boolean[]>;
  /** Make sure the signer holds at least `lamports` (airdrop where the cluster allows it). */
  ensureFunds(lamports: number): Promise<{ balance: number; airdropped: number }>;
  /** Requests the cluster itself received, by method (localnet only). */
  requestCounts(): Record<string, number> | null;
  resetRequestCounts(): void;
  close(): Promise<void>;
}

export async function startEmbeddedCluster(opts: { dir: string; slotMs: number; profile?: "devnet" | null }): Promise<SimCluster> {
  const localnet = await startLocalnet({ host: "127.0.0.1", port: 0, slotMs: opts.slotMs, websocket: false, ...(opts.profile ? { profile: opts.profile } : {}) });
  try {
    const keypairPath = join(opts.dir, "signer.json");
    const signer = await generateKeypairFile(keypairPath);
    const pubkey = signer.publicKey.toBase58();
    return {
      kind: "localnet",
      url: localnet.url,
      label: `embedded localnet ${localnet.url} (slot ${opts.slotMs} ms${opts.profile ? `, profile ${opts.profile}` : ""})`,
      keypairPath,
      signer,
      localnet,
      getBalances: async (addresses) => addresses.map((a) => localnet.getBalance(a)),
      getLanded: async (signatures) => signatures.map((s) => localnet.hasTransaction(s)),
      async ensureFunds(lamports) {
        const balance = Number(localnet.getBalance(pubkey));
        if (balance >= lamports) return { balance, airdropped: 0 };
        localnet.airdrop(pubkey, lamports - balance);
        return { balance: lamports, airdropped: lamports - balance };
      },
      requestCounts: () => sumCounts(localnet.urls.map((_, i) => localnet.requestCounts(i))),
      resetRequestCounts: () => localnet.resetRequestCounts(),
      close: () => localnet.stop(),
    };
  } catch (e) {
    await localnet.stop();
    throw e;
  }
}

export async function connectRemoteCluster(opts: { url: string; keypairPath: string }): Promise<SimCluster> {
  const signer = await loadKeypair(opts.keypairPath);
  const label = redactUrl(opts.url);
  // The simulation's own reads (funding, verification) go through a pool of their own, so they
  // never count as the crank's requests.
  const pool = createRpcPool({ urls: [opts.url], healthIntervalMs: 0, timeoutMs: 15_000, ratePerSecond: 10 });
  try {
    const genesis = await pool.getGenesisHash().catch((e: unknown) => {
      throw new CourierError("COURIER__RPC__UNREACHABLE", `cannot reach ${label}: ${oneLine(coerceError(e).message)}`);
    });
    if (genesis === MAINNET_GENESIS) {
      throw new CourierError("COURIER__CONFIG", `${label} is mainnet-beta: simulations send real money to throwaway addresses; use devnet, testnet or a local validator`);
    }
  } catch (e) {
    await pool.close();
    throw e;
  }
  return {
    kind: "remote",
    url: opts.url,
    label,
    keypairPath: opts.keypairPath,
    signer,
    localnet: null,
    getBalances: (addresses) => getRemoteBalances(pool, addresses),
    async getLanded(signatures) {
      const statuses = await pool.getSignatureStatuses(signatures, { searchTransactionHistory: true });
      return statuses.map((s) => s !== null && s.err === null && (s.confirmationStatus === "confirmed" || s.confirmationStatus === "finalized"));
    },
    ensureFunds: (lamports) => ensureRemoteFunds(pool, signer, label, lamports),
    requestCounts: () => null,
    resetRequestCounts: () => {},
    close: () => pool.close(),
  };
}

async function getRemoteBalances(pool: RpcPool, addresses: string[]): Promise<bigint[]> {
  const out: bigint[] = [];
  for (let i = 0; i < addresses.length; i += ACCOUNTS_PER_CALL) {
    const chunk = addresses.slice(i, i + ACCOUNTS_PER_CALL);
    const res = await pool.call<{ value: Array<{ lamports: number } | null> }>("getMultipleAccounts", [chunk, { commitment: "confirmed", encoding: "base64", dataSlice: { offset: 0, length: 0 } }]);
    for (const account of res.value) out.push(BigInt(account?.lamports ?? 0));
  }
  return out;
}

/**
 * Top the signer up by airdrop when it holds less than `lamports`. A faucet that refuses (devnet
 * rate limits, mainnet-like clusters without one) ends the run with one line that says how much
 * to send to which address.
 */
export async function ensureRemoteFunds(pool: RpcPool, signer: Signer, label: string, lamports: number): Promise<{ balance: number; airdropped: number }> {
  const pubkey = signer.publicKey.toBase58();
  const balance = await pool.getBalance(pubkey, "confirmed").catch((e: unknown) => {
    throw new CourierError("COURIER__RPC__UNREACHABLE", `cannot read the balance of ${pubkey} at ${label}: ${oneLine(coerceError(e).message)}`);
  });
  if (balance >= lamports) return { balance, airdropped: 0 };
  // Round the request up to 0.1 SOL: faucets hand out round amounts and a rerun needs headroom.
  const request = Math.ceil((lamports - balance) / (LAMPORTS_PER_SOL / 10)) * (LAMPORTS_PER_SOL / 10);
  const refused = (why: string) =>
    new CourierError(
      "COURIER__OP__INSUFFICIENT_FUNDS",
      `the faucet at ${label} refused an airdrop of ${formatSol(request)} SOL to ${pubkey} (${oneLine(why)}); send at least ${formatSol(lamports - balance)} SOL to it (devnet: https://faucet.solana.com) and run again`,
      { signer: pubkey },
    );
  let signature: string;
  try {
    signature = await pool.call<string>("requestAirdrop", [pubkey, request, { commitment: "confirmed" }]);
  } catch (e) {
    throw refused(coerceError(e).message);
  }
  const deadline = Date.now() + 60_000;
  for (let i = 0; i < 120 && Date.now() < deadline; i++) {
    const [status] = await pool.getSignatureStatuses([signature]).catch(() => [null]);
    if (status?.err) throw refused(`the airdrop transaction failed: ${JSON.stringify(status.err)}`);
    if (status && (status.confirmationStatus === "confirmed" || status.confirmationStatus === "finalized")) {
      return { balance: balance + request, airdropped: request };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw refused(`airdrop ${signature} not confirmed within 60 s`);
}

export function formatSol(lamports: number): string {
  return (lamports / LAMPORTS_PER_SOL).toFixed(4).replace(/\.?0+$/, "");
}

function oneLine(s: string): string {
  const line = s.split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function sumCounts(counts: Array<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of counts) for (const [k, v] of Object.entries(c)) out[k] = (out[k] ?? 0) + v;
  return out;
}
