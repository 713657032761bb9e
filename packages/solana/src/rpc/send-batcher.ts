/**
 * First sends of admitted transactions, batched: the sends made in one turn of the event loop
 * (the runs whose ledger entries one commit made durable) go to the endpoint as ONE JSON-RPC
 * batch request instead of one request each. Each send still gets its own answer (signature or
 * classified error), as from a single request.
 *
 * Batching starts once some single sends were answered (an endpoint's send limit, if any, has
 * then been learned from its 429s), with small batches that grow while they are taken whole.
 * Batch support is detected per endpoint on first use: an endpoint that refuses a batch (a
 * non-2xx status other than 429/5xx, or one answer instead of an array; nothing executed) is
 * remembered and gets single requests from then on. A batch that fails as a whole (timeout,
 * reset, 429, 5xx) is sent again as single requests with failover: the same bytes, so a copy
 * that did land is only "already processed", never a second payment.
 */
import { classifyRpcError } from "../errors/classify.js";
import type { Endpoint, PoolLogger } from "./endpoint.js";
import type { FailoverCaller } from "./failover.js";
import type { BatchAnswer } from "./json-rpc-transport.js";

const METHOD = "sendTransaction";
/** Single sends answered before the first batch: an endpoint's send limit shows up by then (a 429 teaches it). */
const WARM_UP_SENDS = 32;
/** First batch size on an endpoint; doubled after each batch it took whole (slow start). */
const FIRST_BATCH = 4;
/** Sends per batch request (64 transactions of ≤ 1232 bytes stay under common 100 KiB body limits). */
export const MAX_SENDS_PER_BATCH = 64;

interface Queued {
  params: unknown[];
  resolve: (signature: string) => void;
  reject: (e: unknown) => void;
}

export interface SendBatcher {
  /** Send one admitted transaction (its request reserved by admission) with the others of this moment. */
  send(params: unknown[]): Promise<string>;
}

export function createSendBatcher(opts: {
  caller: FailoverCaller;
  timeoutMs: number;
  /** The single-request path (failover, ambiguity): used for a lone send and as the fallback. */
  sendOne: (params: unknown[]) => Promise<string>;
  logger?: PoolLogger;
}): SendBatcher {
  const refusing = new WeakSet<Endpoint>();
  /** Per endpoint, the batch size it has earned: an unknown limit is probed, not hit by 64 at once. */
  const earned = new WeakMap<Endpoint, number>();
  let queue: Queued[] = [];
  let scheduled = false;
  let answeredSingly = 0;

  const single = (q: Queued) =>
    opts.sendOne(q.params).then((signature) => {
      answeredSingly++;
      q.resolve(signature);
    }, q.reject);

  async function sendBatch(ep: Endpoint, batch: Queued[]): Promise<void> {
    // Each send uses the request its admission reserved; one that finds none here goes alone.
    const inBatch: Queued[] = [];
    for (const q of batch) {
      if (ep.budget.tryTake(METHOD, true) === 0) inBatch.push(q);
      else void single(q);
    }
    const giveBack = () => {
      for (let i = 0; i < inBatch.length; i++) ep.budget.refund(METHOD);
      inBatch.map(single);
    };
    if (inBatch.length < 2 || !ep.breaker.tryAcquire()) return giveBack();
    let answers: BatchAnswer<string>[] | "refused";
    try {
      answers = await opts.caller.attemptBatch<string>(ep, METHOD, inBatch.map((q) => q.params), opts.timeoutMs);
    } catch {
      // Refused whole (429) or failed: back to the smallest batch, probing upwards again.
      earned.set(ep, 2);
      return giveBack();
    }
    if (answers === "refused") {
      refusing.add(ep);
      opts.logger?.warn({ endpoint: ep.label }, "rpc.batch_refused");
      return giveBack();
    }
    earned.set(ep, Math.min(MAX_SENDS_PER_BATCH, Math.max(FIRST_BATCH, 2 * inBatch.length)));
    answers.forEach((a, i) => {
      const q = inBatch[i] as Queued;
      if (a.ok) q.resolve(a.result);
      else q.reject(classifyRpcError(a.error));
    });
  }

  function flush(): void {
    scheduled = false;
    const all = queue;
    queue = [];
    const warm = answeredSingly >= WARM_UP_SENDS;
    const ep = warm && all.length > 1 ? opts.caller.available().find((e) => !refusing.has(e)) : undefined;
    if (!ep) return void all.map(single);
    // A batch is one burst to the endpoint: no bigger than a quarter second of its budget for
    // sends, so a rate-limited endpoint (whose limit was learned from 429s) gets single requests.
    const budget = ep.budget.snapshot();
    const rate = Math.min(budget.rps, budget.methods[METHOD] ?? Number.POSITIVE_INFINITY);
    const size = Math.max(1, Math.min(MAX_SENDS_PER_BATCH, Math.floor(rate / 4), earned.get(ep) ?? FIRST_BATCH));
    for (let i = 0; i < all.length; i += size) void sendBatch(ep, all.slice(i, i + size));
  }

  return {
    send(params) {
      return new Promise<string>((resolve, reject) => {
        queue.push({ params, resolve, reject });
        if (scheduled) return;
        scheduled = true;
        setImmediate(flush);
      });
    },
  };
}
