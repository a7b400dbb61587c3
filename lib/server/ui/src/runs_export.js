// "Download CSV" of the runs table: every run the current search matches (not only the loaded pages),
// one row each: attributes, then every param, metric and tag key found, sorted within each kind.
import { runDuration, toMap } from "./dom.js";
import { datasetsOf } from "./run_groups.js";

const iso = (ms) => (ms === undefined || ms === null || ms === "" ? "" : new Date(Number(ms)).toISOString());

/** CSV rows (header first) of wire runs. `experimentName(id)` names each run's experiment. */
export function runsCsvRows(runs, experimentName = (id) => id) {
  const params = new Set(), metrics = new Set(), tags = new Set();
  const prepared = runs.map((r) => {
    const p = toMap(r.data?.params), t = toMap(r.data?.tags);
    const m = new Map((r.data?.metrics ?? []).map((x) => [x.key, x.value]));
    for (const k of p.keys()) params.add(k);
    for (const k of m.keys()) metrics.add(k);
    for (const k of t.keys()) tags.add(k);
    return { r, p, m, t };
  });
  const pk = [...params].sort(), mk = [...metrics].sort(), tk = [...tags].sort();
  const header = [
    "run_id",
    "run_name",
    "experiment",
    "status",
    "start_time",
    "end_time",
    "duration_s",
    "user",
    "source",
    "version",
    "datasets",
    ...pk.map((k) => `params.${k}`),
    ...mk.map((k) => `metrics.${k}`),
    ...tk.map((k) => `tags.${k}`),
  ];
  const rows = prepared.map(({ r, p, m, t }) => {
    const duration = runDuration(r.info);
    return [
      r.info.run_id,
      r.info.run_name ?? "",
      experimentName(r.info.experiment_id),
      r.info.status,
      iso(r.info.start_time),
      iso(r.info.end_time),
      duration === undefined ? "" : duration / 1000,
      r.info.user_id || t.get("mlflow.user") || "",
      t.get("mlflow.source.name") ?? "",
      t.get("mlflow.source.git.commit") ?? "",
      datasetsOf(r).map((d) => (d.context ? `${d.name} (${d.context})` : d.name)).join("; "),
      ...pk.map((k) => p.get(k) ?? ""),
      ...mk.map((k) => (m.has(k) ? m.get(k) : "")),
      ...tk.map((k) => t.get(k) ?? ""),
    ];
  });
  return [header, ...rows];
}
