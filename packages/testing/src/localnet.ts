import { type Localnet, type LocalnetOptions, startLocalnet } from "@courier/localnet";
import { afterAll, beforeAll } from "vitest";

/**
 * A real localnet for the test file: started (on a free port) before its first test, stopped
 * after its last. Read `.current` inside tests.
 */
export function useLocalnet(opts: Partial<LocalnetOptions> = {}): { readonly current: Localnet } {
  let localnet: Localnet | null = null;
  beforeAll(async () => {
    localnet = await startLocalnet({ port: 0, slotMs: 50, websocket: false, ...opts });
  });
  afterAll(async () => {
    await localnet?.stop();
    localnet = null;
  });
  return {
    get current(): Localnet {
      if (!localnet) throw new Error("useLocalnet: the localnet runs only inside this file's tests");
      return localnet;
    },
  };
}
