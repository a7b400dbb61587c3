/** Summaries of metric steps over several runs, for reading only the sampled points of charts. */
import type { MetricStepSummary } from "./store.ts";

/**
 * The distinct steps of several runs' step lists (ascending) and each run's smallest and largest step
 * (runs with no steps left out).
 *
 * @example
 * ```ts
 * metricStepSummary([[0, 5, 3], [], [2]]); // { steps: [0, 2, 3, 5], extremes: [[0, 5], [2, 2]] }
 * ```
 */
export function metricStepSummary(runSteps: readonly (readonly number[])[]): MetricStepSummary {
  const distinct = new Set<number>();
  const extremes: [number, number][] = [];
  for (const steps of runSteps) {
    if (steps.length === 0) continue;
    let min = Infinity, max = -Infinity;
    for (const step of steps) {
      distinct.add(step);
      if (step < min) min = step;
      if (step > max) max = step;
    }
    extremes.push([min, max]);
  }
  return { steps: [...distinct].sort((a, b) => a - b), extremes };
}
