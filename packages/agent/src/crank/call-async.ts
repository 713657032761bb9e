/**
 * `fn()` as a promise: a synchronous throw becomes a rejection (what `Promise.try` does on
 * Node 22+; Courier also runs on Node 20). For code that chains onto a call instead of awaiting it.
 */
export function callAsync<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(e);
  }
}
