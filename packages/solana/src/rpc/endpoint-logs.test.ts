/**
 * Circuit lines during an outage: one warn when it starts, one info when it ends; every
 * probe's open ⇄ half_open cycle in between only at debug.
 */
import { ManualClock } from "@courier/agent";
import { describe, expect, it } from "vitest";
import { createEndpoint } from "./endpoint.js";

describe("endpoint circuit log lines", () => {
  it("logs an outage of many probes as one warn line in and one info line out", () => {
    const clock = new ManualClock();
    const lines: Array<{ level: string; event: string; from: string; to: string }> = [];
    const push = (level: string) => (obj: object, msg: string) => lines.push({ level, event: msg, ...(obj as { from: string; to: string }) });
    const logger = { info: push("info"), warn: push("warn"), debug: push("debug") };
    const ep = createEndpoint({
      url: "https://rpc.example.com/v1/TOKEN789",
      priority: 0,
      breaker: { failureThreshold: 2, openMs: 100, maxOpenMs: 400, halfOpenProbes: 1 },
      rate: 100,
      burst: 100,
      clock,
      logger,
    });
    ep.breaker.onFailure();
    ep.breaker.onFailure();
    for (let probe = 0; probe < 20; probe++) {
      clock.advance(400);
      expect(ep.breaker.tryAcquire()).toBe(true);
      ep.breaker.onFailure();
    }
    clock.advance(400);
    expect(ep.breaker.tryAcquire()).toBe(true);
    ep.breaker.onSuccess();

    const loud = lines.filter((l) => l.level !== "debug");
    expect(loud.map((l) => `${l.level} ${l.event}`)).toEqual(["warn rpc.circuit_opened", "info rpc.circuit_closed"]);
    expect(lines.filter((l) => l.level === "debug" && l.event === "rpc.circuit_half_open")).toHaveLength(21);
    expect(lines.filter((l) => l.level === "debug" && l.event === "rpc.circuit_opened")).toHaveLength(20);
  });
});
