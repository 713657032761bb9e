import type { Store } from "./roles.js";
import type { StoreVerb, VerbTable } from "./verb-table.js";

/**
 * Watches (and may refuse) every store call; safe mode is one. `before` throwing refuses the
 * call: the caller gets a rejected promise and the verb never runs.
 */
export interface VerbGuard {
  before(verb: string, write: boolean): void;
  succeeded(verb: string, write: boolean): void;
  failed(verb: string, error: unknown): void;
}

export interface StoreSpec<K extends Store["kind"], X extends object> {
  kind: K;
  verbs: VerbTable;
  /**
   * Runs one verb call: the backend's closed check and its retries (SQLITE_BUSY, serialization
   * failures), mapping what escapes to Courier's store error codes.
   */
  call<T>(run: () => T | Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Backend-only extras (backup, integrity check, ping…): reads, as far as a guard is concerned. */
  extras: X;
}

/** A store built from a verb table. `withGuard` builds the same store again with a guard on every call. */
export type BuiltStore<K extends Store["kind"], X extends object> = Store &
  X & {
    readonly kind: K;
    withGuard(guard: VerbGuard): BuiltStore<K, X>;
  };

type AnyFn = (...args: unknown[]) => unknown;

function guarded(guard: VerbGuard, name: string, write: boolean, fn: AnyFn): AnyFn {
  return (...args) => {
    try {
      guard.before(name, write);
    } catch (e) {
      return Promise.reject(e);
    }
    let result: unknown;
    try {
      result = fn(...args);
    } catch (e) {
      guard.failed(name, e);
      throw e;
    }
    if (!(result instanceof Promise)) return result;
    return result.then(
      (v: unknown) => {
        guard.succeeded(name, write);
        return v;
      },
      (e: unknown) => {
        guard.failed(name, e);
        throw e;
      },
    );
  };
}

/** The one way a backend becomes a `Store`: each verb of its table run through `spec.call`. */
export function createStore<K extends Store["kind"], X extends object>(spec: StoreSpec<K, X>, guard?: VerbGuard): BuiltStore<K, X> {
  const store: Record<string, unknown> = {};
  for (const name of Object.keys(spec.verbs) as StoreVerb[]) {
    const { write, run } = spec.verbs[name];
    const call = (...args: unknown[]) => spec.call(() => (run as AnyFn)(...args));
    store[name] = guard ? guarded(guard, name, write, call) : call;
  }
  for (const [name, value] of Object.entries(spec.extras)) {
    store[name] = guard && typeof value === "function" ? guarded(guard, name, false, value as AnyFn) : value;
  }
  store.kind = spec.kind;
  store.close = () => spec.close();
  store.withGuard = (g: VerbGuard) => createStore(spec, g);
  return store as BuiltStore<K, X>;
}
