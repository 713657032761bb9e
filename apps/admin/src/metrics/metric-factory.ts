import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** prom-client metrics registered on one registry, each declared by its name, help and labels. */
export function createMetricFactory(registry: Registry) {
  const registers = [registry];
  return {
    counter: <L extends string = string>(name: string, help: string, labelNames: readonly L[] = []) => new Counter<L>({ name, help, labelNames, registers }),
    gauge: <L extends string = string>(name: string, help: string, labelNames: readonly L[] = []) => new Gauge<L>({ name, help, labelNames, registers }),
    histogram: <L extends string = string>(name: string, help: string, buckets: number[], labelNames: readonly L[] = []) =>
      new Histogram<L>({ name, help, buckets, labelNames, registers }),
  };
}
