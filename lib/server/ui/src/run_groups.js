// Parameter sweeps: runs grouped by a param, a tag or their datasets, with each metric aggregated over
// the group (min, max or mean), as MLflow's "Group by" does. Free of the DOM (tests run it in Deno).
import { toNumber } from "./dom.js";
import { AGGREGATES } from "./chart_math.js";

/** The value a run has for a group key: "param:<k>", "tag:<k>" or "datasets" (undefined when none). */
export function groupValueOf(run, groupBy) {
  if (groupBy === "datasets") {
    const names = datasetsOf(run).map((d) => d.name).sort();
    return names.length ? names.join(", ") : undefined;
  }
  const [kind, ...rest] = groupBy.split(":");
  const key = rest.join(":");
  if (kind === "param") return run.params.get(key);
  if (kind === "tag") return run.tags.get(key);
  return undefined;
}

/** The datasets a run used (runs.inputs): [{name, digest, context}] with the context from its input tag. */
export function datasetsOf(run) {
  return (run.inputs?.dataset_inputs ?? []).map((input) => ({
    name: input.dataset?.name ?? "",
    digest: input.dataset?.digest ?? "",
    context: (input.tags ?? []).find((t) => t.key === "mlflow.data.context")?.value ?? "",
  }));
}

/** The label of a group key choice: "param model", "tag team", "datasets". */
export function groupByLabel(groupBy) {
  if (!groupBy) return "";
  if (groupBy === "datasets") return "datasets";
  const [kind, ...rest] = groupBy.split(":");
  return `${kind} ${rest.join(":")}`;
}

/**
 * Groups `runs` (prepared runs with `params`, `tags`, `metrics` maps) by `groupBy`: groups in order of
 * first appearance, `{id, value, label, runs, metrics}` where `metrics` maps each metric key to the
 * aggregate of the members' finite latest values. Runs without the value form the last group ("(none)").
 */
export function groupRuns(runs, groupBy, aggregate = "mean") {
  const groups = new Map();
  for (const run of runs) {
    const value = groupValueOf(run, groupBy);
    const id = value === undefined ? "\u0000none" : `v:${value}`;
    let group = groups.get(id);
    if (!group) {
      group = {
        id: `group:${groupBy}:${id}`,
        value,
        label: value === undefined ? `(no ${groupByLabel(groupBy)})` : `${groupByLabel(groupBy)} = ${value}`,
        runs: [],
      };
      groups.set(id, group);
    }
    group.runs.push(run);
  }
  const fn = AGGREGATES[aggregate] ?? AGGREGATES.mean;
  const list = [...groups.values()].sort((a, b) =>
    Number(a.value === undefined) - Number(b.value === undefined)
  );
  for (const group of list) {
    const values = new Map();
    for (const run of group.runs) {
      for (const [key, v] of run.metrics) {
        const n = toNumber(v);
        if (!Number.isFinite(n)) continue;
        if (!values.has(key)) values.set(key, []);
        values.get(key).push(n);
      }
    }
    group.metrics = new Map([...values].map(([key, vs]) => [key, fn(vs)]));
  }
  return list;
}

/** A value shared by every member of a group (for param/tag cells of a group row), else undefined. */
export function commonValue(runs, valueOf) {
  if (runs.length === 0) return undefined;
  const first = valueOf(runs[0]);
  return runs.every((r) => valueOf(r) === first) ? first : undefined;
}
