import { describe, expect, it } from "vitest";
import { redactUrl } from "./redact-url.js";
import { toRpcTarget } from "./rpc-target.js";

describe("redactUrl", () => {
  it("strips userinfo, query values and key-like path segments", () => {
    expect(redactUrl("https://mainnet.helius-rpc.com/?api-key=0f1e2d3c-aaaa-bbbb-cccc-1234567890ab")).toBe("https://mainnet.helius-rpc.com?api-key=***");
    expect(redactUrl("https://solana-mainnet.g.alchemy.com/v2/AbCdEf123456GhIjKl7890")).toBe("https://solana-mainnet.g.alchemy.com/v2/***");
    expect(redactUrl("https://example.solana-mainnet.quiknode.pro/3f2a9c0d1b7e4a5f8c6d2e1f0a9b8c7d/")).toBe("https://example.solana-mainnet.quiknode.pro/***/");
    expect(redactUrl("https://user:s3cret@rpc.example.com:8899/path")).toBe("https://***@rpc.example.com:8899/path");
    expect(redactUrl("http://127.0.0.1:8899")).toBe("http://127.0.0.1:8899");
    expect(redactUrl("https://rpc.example.com/solana/mainnet?token=abc&x=1")).toBe("https://rpc.example.com/solana/mainnet?token=***&x=***");
  });

  it("redacts short keys in the path, whatever their shape; the host stays visible", () => {
    expect(redactUrl("https://rpc.example.com/v1/TOKEN789")).toBe("https://rpc.example.com/v1/***");
    expect(redactUrl("https://rpc.example.com/key/abc12")).toBe("https://rpc.example.com/key/***");
    expect(redactUrl("https://rpc.example.com/SecretKey")).toBe("https://rpc.example.com/***");
    expect(redactUrl("https://rpc.example.com/a1b2/mainnet-beta")).toBe("https://rpc.example.com/***/mainnet-beta");
    expect(redactUrl("https://rpc.example.com/Zm9v%2Bbar")).toBe("https://rpc.example.com/***");
    expect(redactUrl("https://rpc.example.com/rpc?TOKEN789=1")).toBe("https://rpc.example.com/rpc?***=***");
    expect(redactUrl("https://rpc.example.com/rpc#frag789")).toBe("https://rpc.example.com/rpc");
  });

  it("never echoes an unparseable url", () => {
    expect(redactUrl("not a url with key 0123456789abcdef")).toBe("***");
  });
});

describe("toRpcTarget", () => {
  it("moves user:pass@ credentials into an Authorization: Basic header", () => {
    const t = toRpcTarget("https://al%40ice:p%3Ass@rpc.example.com:8443/v1/KEY9?x=1");
    expect(t.url).toBe("https://rpc.example.com:8443/v1/KEY9?x=1");
    expect(t.headers).toEqual({ authorization: `Basic ${Buffer.from("al@ice:p:ss").toString("base64")}` });
  });

  it("leaves a URL without credentials as it is", () => {
    expect(toRpcTarget("http://127.0.0.1:8899/?api-key=K")).toEqual({ url: "http://127.0.0.1:8899/?api-key=K", headers: {} });
  });
});
