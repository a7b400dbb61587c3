// What the experiment page knows about its loaded runs, apart from the runs themselves: the metric,
// param and tag keys seen (for columns, search suggestions, group-by and charts), each metric's largest
// step (line or bar chart), the datasets used, the grouping chosen (remembered per page), and how a
// cell is shown in the preview pane. Free of the DOM apart from localStorage.
import { formatTime, runDuration, runLabel, toNumber } from "./dom.js";
import { datasetsOf, groupValueOf } from "./run_groups.js";
import { isNodeTiming, parseColumnId } from "./column_prefs.js";
import { AGGREGATES } from "./chart_math.js";
import { firstDiffering } from "./param_values.js";

/**
 * What the scatter and parallel-coordinates cards plot by default: the metric (not a node timing) that
 * most runs with params have, and the params that differ between those runs (the best first: present
 * in all, numeric). {metric, params}.
 */
export function plotDefaults(runs, metricKeys, paramKeys) {
  const score = (k) => [
    runs.filter((r) => r.metrics.has(k) && r.params.size > 0).length,
    runs.filter((r) => r.metrics.has(k)).length,
  ];
  const metrics = [...metricKeys].filter((k) => !isNodeTiming(k)).sort();
  const metric = metrics.map((k) => [k, score(k)]).sort((a, b) => b[1][0] - a[1][0] || b[1][1] - a[1][1])[0]
    ?.[0];
  if (!metric) return { metric: undefined, params: [] };
  const holders = runs.filter((r) => r.metrics.has(metric)).map((r) => r.params);
  const params = [];
  let rest = [...paramKeys].sort();
  for (let k = firstDiffering(rest, holders); k !== undefined; k = firstDiffering(rest, holders)) {
    params.push(k);
    rest = rest.filter((x) => x !== k);
  }
  return { metric, params };
}

/** The page's knowledge for `scope` (the experiment ids). */
export function runsPageState(scope) {
  const groupKey = `kmlf.group.${scope}`;
  let group = {};
  try {
    group = JSON.parse(localStorage.getItem(groupKey) ?? "{}") ?? {};
  } catch {
    group = {};
  }
  const datasets = new Map();
  const st = {
    known: { metrics: new Set(), params: new Set(), tags: new Set() },
    /** Every tag key, MLflow's system tags included (search suggestions). */
    allTagKeys: new Set(),
    /** metric key → the largest latest step of a loaded run. */
    metricSteps: new Map(),
    group: { groupBy: group.groupBy, aggregate: group.aggregate ?? "mean" },
    setGroup(value) {
      st.group = { groupBy: value.groupBy, aggregate: value.aggregate ?? "mean" };
      try {
        localStorage.setItem(groupKey, JSON.stringify(st.group));
      } catch {
        // not remembered
      }
    },
    /** Learns keys, steps and datasets of fresh runs; true when a new key appeared. */
    learn(fresh) {
      const before = st.known.metrics.size + st.known.params.size + st.known.tags.size + datasets.size;
      for (const r of fresh) {
        for (const k of r.metrics.keys()) {
          st.known.metrics.add(k);
          st.metricSteps.set(k, Math.max(st.metricSteps.get(k) ?? 0, r.steps?.get(k) ?? 0));
        }
        for (const k of r.params.keys()) st.known.params.add(k);
        for (const k of r.tags.keys()) {
          st.allTagKeys.add(k);
          if (!k.startsWith("mlflow.")) st.known.tags.add(k);
        }
        for (const d of datasetsOf(r)) datasets.set(`${d.name}\u0000${d.digest}\u0000${d.context}`, d);
      }
      return st.known.metrics.size + st.known.params.size + st.known.tags.size + datasets.size !== before;
    },
    datasetList: () => [...datasets.values()],
    /** What runs can be grouped by: datasets (when some run has one), each param, each user tag. */
    groupChoices: () => [
      ...(datasets.size ? ["datasets"] : []),
      ...[...st.known.params].sort().map((k) => `param:${k}`),
      ...[...st.known.tags].sort().map((k) => `tag:${k}`),
    ],
    /** Run names used by more than one of `runs` (those rows show the short run id too). */
    repeatedNames(runs) {
      const seen = new Set(), repeated = new Set();
      for (const r of runs) {
        const name = runLabel(r);
        if (seen.has(name)) repeated.add(name);
        seen.add(name);
      }
      return repeated;
    },
    /**
     * The value of "param:<k>" / "metric:<k>" for a chart item: the run's, or for a group the metric's
     * aggregate and the param's value when the members share it.
     */
    valueOf(item, choice) {
      const { kind, key } = parseColumnId(choice);
      if (item.group) {
        if (kind === "metric") {
          const vs = item.group.runs.map((r) => toNumber(r.metrics.get(key))).filter(Number.isFinite);
          return vs.length ? AGGREGATES[st.group.aggregate ?? "mean"](vs) : undefined;
        }
        const values = new Set(item.group.runs.map((r) => r.params.get(key)));
        return values.size === 1 ? [...values][0] : undefined;
      }
      return kind === "metric" ? item.run.metrics.get(key) : item.run.params.get(key);
    },
  };
  return st;
}

/** What the preview pane shows for a cell: {title, subtitle, text}. */
export function previewOf(row, column, experimentNames) {
  if (row.group) {
    return {
      title: column.title ?? column.label ?? column.id,
      subtitle: row.group.label,
      text: groupText(row, column),
    };
  }
  const r = row.run;
  const subtitle = `${runLabel(r)} (${r.info.run_id})`;
  const { kind, key } = parseColumnId(column.id);
  const title = column.title ?? (column.label || column.id);
  if (kind === "metric") return { title, subtitle, text: String(r.metrics.get(key) ?? "") };
  if (kind === "param") return { title, subtitle, text: r.params.get(key) ?? "" };
  if (kind === "tag") return { title, subtitle, text: r.tags.get(key) ?? "" };
  const text = {
    run_name: `${runLabel(r)}\nrun id ${r.info.run_id}`,
    "attr:created": formatTime(r.info.start_time),
    "attr:duration": String(runDuration(r.info) ?? ""),
    "attr:status": r.info.status,
    "attr:user": r.info.user_id || r.tags.get("mlflow.user") || "",
    "attr:source": r.tags.get("mlflow.source.name") ?? "",
    "attr:version": r.tags.get("mlflow.source.git.commit") ?? "",
    "attr:datasets": datasetsOf(r).map((d) =>
      `${d.name} (digest ${d.digest}${d.context ? `, ${d.context}` : ""})`
    ).join("\n"),
    "attr:run_id": r.info.run_id,
    "attr:experiment": experimentNames.get(r.info.experiment_id) ?? r.info.experiment_id,
    "attr:description": r.tags.get("mlflow.note.content") ?? "",
  }[column.id];
  return { title, subtitle, text: text ?? "" };
}

function groupText(row, column) {
  const { kind, key } = parseColumnId(column.id);
  if (kind === "metric") return String(row.group.metrics.get(key) ?? "");
  if (column.id === "run_name") {
    return row.group.runs.map((r) => `${runLabel(r)} (${r.info.run_id})`).join("\n");
  }
  if (kind === "param" || kind === "tag") {
    return [...new Set(row.group.runs.map((r) => groupValueOf(r, `${kind}:${key}`) ?? ""))].join("\n");
  }
  return "";
}
