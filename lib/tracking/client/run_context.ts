/**
 * The default run context MLflow's client records on every run it starts: `mlflow.user`,
 * `mlflow.source.name` and `mlflow.source.type`. Read from the process only when the caller did not
 * give them, and only where permissions are already granted (never prompting).
 *
 * @module
 */
import { fileURLToPath } from "../../path.ts";

/** Who and what starts runs. */
export interface RunContext {
  /** `mlflow.user` and the run's `user_id`. */
  user: string;
  /** `mlflow.source.name`: the entry script. */
  sourceName: string;
  /** `mlflow.source.type`: LOCAL, NOTEBOOK, JOB, PROJECT or UNKNOWN. */
  sourceType: string;
}

function envVar(name: string): string | undefined {
  try {
    if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") return undefined;
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The context of the current process: the user from `MLFLOW_TRACKING_USERNAME`, `USER` or
 * `USERNAME` ("unknown" without env permission), the main module as source name, type LOCAL.
 *
 * @example
 * ```ts
 * defaultRunContext(); // { user: "alice", sourceName: "/home/alice/train.ts", sourceType: "LOCAL" }
 * ```
 */
export function defaultRunContext(): RunContext {
  const user = envVar("MLFLOW_TRACKING_USERNAME") ?? envVar("USER") ?? envVar("USERNAME") ?? "unknown";
  let sourceName = Deno.mainModule;
  if (sourceName.startsWith("file:")) {
    try {
      sourceName = fileURLToPath(sourceName);
    } catch {
      // keep the URL
    }
  }
  return { user, sourceName, sourceType: "LOCAL" };
}
