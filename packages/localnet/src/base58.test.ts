import { describe, expect, it } from "vitest";
import fc from "fast-check";
import bs58 from "bs58";
import { decodeBase58, decodeBase58Fixed, encodeBase58 } from "./base58.js";

describe("base58", () => {
  it("matches bs58 on random byte strings both ways", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const text = encodeBase58(bytes);
        expect(text).toBe(bs58.encode(bytes));
        expect(Buffer.from(decodeBase58(text)!)).toEqual(Buffer.from(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it("rejects characters outside the alphabet and wrong lengths", () => {
    expect(decodeBase58("0OIl")).toBeNull();
    expect(decodeBase58("abc\u00e9")).toBeNull();
    expect(decodeBase58Fixed("11111111111111111111111111111111", 32)).toEqual(new Uint8Array(32));
    expect(decodeBase58Fixed("1111", 32)).toBeNull();
    expect(decodeBase58Fixed("", 32)).toBeNull();
  });
});
