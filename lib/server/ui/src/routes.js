// Hash routes, the same as MLflow's UI: links printed by MLflow clients open the right page.
import { parseModelRoute } from "./model_routes.js";

/** Parses `location.hash` into {name, params, query}. */
export function parseRoute(hash) {
  const raw = hash.replace(/^#\/?/, "");
  const q = raw.indexOf("?");
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : "");
  const parts = path.split("/").filter((p) => p !== "").map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  if (parts.length === 0 || (parts.length === 1 && parts[0] === "experiments")) {
    return { name: "experiments", params: {}, query };
  }
  if (parts[0] === "experiments" && parts.length === 2) {
    return { name: "runs", params: { experimentId: parts[1] }, query };
  }
  if (parts[0] === "experiments" && parts[2] === "runs" && parts.length >= 4) {
    const tab = parts[4] ?? "overview";
    return {
      name: "run",
      params: {
        experimentId: parts[1],
        runId: parts[3],
        tab,
        artifactPath: tab === "artifacts" ? parts.slice(5).join("/") : "",
      },
      query,
    };
  }
  const model = parseModelRoute(parts, query);
  if (model) return model;
  if (parts[0] === "compare-runs") return { name: "compare", params: {}, query };
  if (parts[0] === "metric" && parts.length >= 2) {
    return { name: "metric", params: { key: parts.slice(1).join("/") }, query };
  }
  return { name: "not-found", params: { path }, query };
}
