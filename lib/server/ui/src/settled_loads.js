// Several lists fetched at once (one metric history per key): what loaded is shown, what failed is named,
// so one failed history does not blank the charts already drawn.
import { errorBox } from "./dom.js";

/**
 * Runs `load(key)` for every key at once; resolves to the keys that loaded, with their values (in `keys`'
 * order), and one "key: message" line per key that failed. Never rejects.
 *
 * @example
 * ```js
 * const { loaded, failed } = await settleEach(["loss", "acc"], (k) => metricHistory(runId, k));
 * // loaded: [["loss", [...]]], failed: ["acc: Cannot reach the tracking server …"]
 * ```
 */
export async function settleEach(keys, load) {
  const results = await Promise.allSettled(keys.map((k) => load(k)));
  const loaded = [];
  const failed = [];
  results.forEach((r, i) => {
    if (r.status === "fulfilled") loaded.push([keys[i], r.value]);
    else failed.push(`${keys[i]}: ${r.reason?.message ?? String(r.reason)}`);
  });
  return { loaded, failed };
}

/**
 * The alert naming the metric histories that could not be loaded (choosing them again retries), or null.
 *
 * @example
 * ```js
 * failedHistoriesBox(["acc: 503 Service Unavailable"]); // <div role="alert">Could not load the history of acc: …</div>
 * ```
 */
export function failedHistoriesBox(failed, testid = "metrics-error") {
  if (!failed.length) return null;
  return errorBox(
    `Could not load the history of ${failed.join("; ")} (choose the metric again to retry)`,
    testid,
  );
}
