import { describe, expect, it } from "vitest";
import { redactUrl } from "./redact-url.js";

describe("redactUrl", () => {
  it("strips userinfo, query values and key-like path segments", () => {
    expect(redactUrl("https://mainnet.helius-rpc.com/?api-key=0f1e2d3c-aaaa-bbbb-cccc-1234567890ab")).toBe("https://mainnet.helius-rpc.com?api-key=***");
    expect(redactUrl("https://solana-mainnet.g.alchemy.com/v2/AbCdEf123456GhIjKl7890")).toBe("https://solana-mainnet.g.alchemy.com/v2/***");
    expect(redactUrl("https://example.solana-mainnet.quiknode.pro/3f2a9c0d1b7e4a5f8c6d2e1f0a9b8c7d/")).toBe("https://example.solana-mainnet.quiknode.pro/***/");
    expect(redactUrl("https://user:s3cret@rpc.example.com:8899/path")).toBe("https://***@rpc.example.com:8899/path");
    expect(redactUrl("http://127.0.0.1:8899")).toBe("http://127.0.0.1:8899");
    expect(redactUrl("https://rpc.example.com/solana/mainnet?token=abc&x=1")).toBe("https://rpc.example.com/solana/mainnet?token=***&x=***");
  });

  it("never echoes an unparseable url", () => {
    expect(redactUrl("not a url with key 0123456789abcdef")).toBe("***");
  });
});
