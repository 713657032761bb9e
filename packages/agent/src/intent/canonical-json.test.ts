import { describe, expect, it } from "vitest";
import { canonicalizeJson } from "./canonical-json.js";

describe("canonicalizeJson (RFC 8785)", () => {
  it("serializes the RFC's §3.2.2 example exactly", () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalizeJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it("sorts keys by UTF-16 code units (the RFC's §3.2.3 example)", () => {
    const input = {
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis",
    };
    const keys = Object.keys(JSON.parse(canonicalizeJson(input)) as object);
    // JSON.parse of an object puts integer-like keys first, so compare the serialized order instead.
    const order = canonicalizeJson(input).match(/"([^"]*)":"[^"]*"/g)?.map((pair) => JSON.parse(`{${pair}}`) as Record<string, string>);
    expect(order?.map((o) => Object.values(o)[0])).toEqual([
      "Carriage Return",
      "One",
      "Control",
      "Latin Small Letter O With Diaeresis",
      "Euro Sign",
      "Emoji: Grinning Face",
      "Hebrew Letter Dalet With Dagesh",
    ]);
    expect(keys).toHaveLength(7);
  });

  it("nests, keeps array order, and writes -0 as 0", () => {
    expect(canonicalizeJson({ b: [3, { z: 1, a: -0 }], a: "x" })).toBe('{"a":"x","b":[3,{"a":0,"z":1}]}');
  });

  it("refuses what has no canonical JSON form", () => {
    expect(() => canonicalizeJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalizeJson({ a: Number.POSITIVE_INFINITY })).toThrow(/has no JSON form/);
    expect(() => canonicalizeJson({ a: undefined })).toThrow(/undefined/);
    expect(() => canonicalizeJson({ a: 1n })).toThrow(/bigint/);
    expect(() => canonicalizeJson({ a: new Date(0) })).toThrow(/plain objects/);
    expect(() => canonicalizeJson({ a: "\ud800x" })).toThrow(/lone surrogate/);
    expect(() => canonicalizeJson({ "\udc00": 1 })).toThrow(/lone surrogate/);
    expect(canonicalizeJson({ a: "\ud83d\ude00" })).toBe('{"a":"😀"}');
  });
});
