/**
 * MLflow model URIs, parsed with errors that say which form was meant and how to write it:
 *
 * | URI | meaning |
 * | --- | --- |
 * | `runs:/<run_id>/<path>` | artifacts of a run (`runs:/…/model` after a kmlf training run) |
 * | `models:/<name>/<version>` | a registered model version (`1`, `2`, …) |
 * | `models:/<name>/<stage>` | the latest version in a stage (`Production`, `Staging`, `Archived`, `None`) |
 * | `models:/<name>/latest` | the latest version |
 * | `models:/<name>@<alias>` | the version an alias points at |
 * | `mlflow-artifacts:/<path>` | a file of the tracking server's artifact proxy |
 * | `file:///abs/dir`, `/abs/dir`, `rel/dir` | a model folder on this machine |
 *
 * @module
 */
import { fileURLToPath, isAbsolute, percentDecode, resolve } from "../../path.ts";
import { TrackingError } from "../../errors.ts";
import { readLocalUri } from "../../local_uri_reading.ts";

/** A parsed model URI. */
export type ModelUri =
  | { kind: "runs"; uri: string; runId: string; path: string }
  | { kind: "models"; uri: string; name: string; version: string }
  | { kind: "models"; uri: string; name: string; stage: string }
  | { kind: "models"; uri: string; name: string; latest: true }
  | { kind: "models"; uri: string; name: string; alias: string }
  | { kind: "mlflow-artifacts"; uri: string; path: string }
  | { kind: "local"; uri: string; path: string };

const STAGES = ["None", "Staging", "Production", "Archived"];
const FORMS = "runs:/<run_id>/<path>, models:/<name>/<version|stage|latest>, models:/<name>@<alias>, " +
  "mlflow-artifacts:/<path>, or a local folder";

function bad(uri: string, why: string, hint: string): TrackingError {
  return new TrackingError("model/bad-uri", `Cannot use model URI "${uri}": ${why}`, { hint });
}

/**
 * Parses a model URI (see the table above); relative local paths resolve against `baseDir`.
 *
 * @example
 * ```ts
 * parseModelUri("runs:/0a1b…/model"); // { kind: "runs", runId: "0a1b…", path: "model", … }
 * parseModelUri("models:/iris@champion"); // { kind: "models", name: "iris", alias: "champion", … }
 * ```
 */
export function parseModelUri(uri: string, options: { baseDir?: string } = {}): ModelUri {
  // From plain JavaScript: a missing URI is named, not a TypeError on `.trim`.
  if (typeof uri !== "string") {
    throw bad(
      String(uri),
      `it is ${uri === null ? "null" : typeof uri}, not a string`,
      `pass one of: ${FORMS}`,
    );
  }
  const text = uri.trim();
  if (text === "") throw bad(uri, "it is empty", `use one of: ${FORMS}`);
  if (/^runs:/i.test(text)) return parseRuns(uri, text);
  if (/^models:/i.test(text)) return parseModels(uri, text);
  if (/^mlflow-artifacts:/i.test(text)) {
    const path = text.replace(/^mlflow-artifacts:(\/\/[^/]*)?\/*/i, "");
    if (!path) {
      throw bad(uri, "no artifact path", "write mlflow-artifacts:/<experiment_id>/<run_id>/artifacts/model");
    }
    // The path also names the download's folder in the model cache: never one out of it.
    if (leavesFolder(path)) {
      throw bad(
        uri,
        "'..' is not allowed in the artifact path",
        "name the model folder under the server's artifacts",
      );
    }
    return { kind: "mlflow-artifacts", uri: text, path };
  }
  if (/^file:/i.test(text)) {
    let path: string;
    try {
      // `file://127.0.0.1/x` names this machine too (lib/local_uri_reading.ts); Node's reading of the rest.
      const local = readLocalUri(text)!;
      path = /^file:\/\//i.test(text)
        ? fileURLToPath(local.file!.thisMachine ? `file://${local.written}` : text)
        : resolve(options.baseDir ?? Deno.cwd(), percentDecode(text.slice(5)));
    } catch (cause) {
      // file://server/share: a host this machine cannot read from.
      throw bad(
        uri,
        (cause as Error).message,
        "write file:///<absolute path> (three slashes), or the plain path",
      );
    }
    return { kind: "local", uri: text, path };
  }
  const scheme = text.match(/^([a-zA-Z][a-zA-Z0-9+.-]+):/)?.[1];
  if (scheme) {
    throw bad(
      uri,
      `the scheme "${scheme}:" is not supported`,
      `use one of: ${FORMS} (download the model first for other artifact stores)`,
    );
  }
  return {
    kind: "local",
    uri: text,
    path: isAbsolute(text) ? text : resolve(options.baseDir ?? Deno.cwd(), text),
  };
}

// A `..` segment, also percent-encoded (`%2e%2e`, as artifact paths are read).
function leavesFolder(path: string): boolean {
  return [path, percentDecode(path)].some((form) => form.split("/").includes(".."));
}

function parseRuns(uri: string, text: string): ModelUri {
  // `s`: an artifact path may hold a newline, as the server's reading of a runs:/ source allows.
  const m = text.match(/^runs:\/+([^/]+)(?:\/(.*))?$/is);
  if (!m) throw bad(uri, "no run id", "write runs:/<run_id>/<artifact path>, e.g. runs:/<run_id>/model");
  const runId = m[1];
  const path = (m[2] ?? "").replace(/\/+$/, "");
  if (!/^[\w-]+$/.test(runId)) {
    throw bad(
      uri,
      `"${runId}" is not a run id`,
      "copy the run id (32 hex characters) from `kmlf run` or the UI",
    );
  }
  if (!path) {
    throw bad(
      uri,
      "no artifact path after the run id",
      `write runs:/${runId}/<artifact path>, e.g. runs:/${runId}/model`,
    );
  }
  if (leavesFolder(path)) {
    throw bad(uri, "'..' is not allowed in the artifact path", "name the model folder inside the run");
  }
  return { kind: "runs", uri: text, runId, path };
}

function parseModels(uri: string, text: string): ModelUri {
  const body = text.replace(/^models:\/+/i, "");
  const alias = body.match(/^([^/@]+)@([^/@]+)$/);
  if (alias) {
    // MLflow's alias rule (_validate_model_alias_name): the registry would refuse any other spelling.
    if (!ALIAS_NAME.test(alias[2])) {
      throw bad(
        uri,
        `"${alias[2]}" is not an alias name (aliases take letters, digits, _ and -)`,
        `write models:/${alias[1]}@champion, or models:/${alias[1]}/<version> for a version`,
      );
    }
    return { kind: "models", uri: text, name: alias[1], alias: alias[2] };
  }
  const parts = body.split("/");
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    if (/^m-[0-9a-f]+$/.test(body)) {
      throw bad(
        uri,
        "MLflow 3 logged-model ids are not registry models",
        "use runs:/<run_id>/<path> or models:/<name>/<version>",
      );
    }
    throw bad(
      uri,
      "expected a registered model name and a version, stage, 'latest' or @alias",
      `write models:/<name>/1, models:/<name>/Production, models:/<name>/latest or models:/<name>@<alias>`,
    );
  }
  const [name, suffix] = parts;
  // Python's int(): leading zeros dropped, every digit kept (Number() would round 20 digits).
  if (/^\d+$/.test(suffix)) {
    return { kind: "models", uri: text, name, version: suffix.replace(/^0+(?=\d)/, "") };
  }
  if (suffix.toLowerCase() === "latest") return { kind: "models", uri: text, name, latest: true };
  const stage = STAGES.find((s) => s.toLowerCase() === suffix.toLowerCase());
  if (stage) return { kind: "models", uri: text, name, stage };
  // -1, 1.5, " 2", 1e3: meant as a version, which is a whole number from 1.
  if (/\d/.test(suffix) && /^[\s+\-.\deE]+$/.test(suffix)) {
    throw bad(
      uri,
      `"${suffix}" is not a version number: versions are whole numbers (1, 2, …)`,
      `write models:/${name}/1, or models:/${name}/latest for the newest version`,
    );
  }
  throw bad(
    uri,
    `"${suffix}" is neither a version number, a stage (${STAGES.join(", ")}) nor "latest"`,
    ALIAS_NAME.test(suffix)
      ? `for an alias write models:/${name}@${suffix}`
      : `write models:/${name}/<version>, models:/${name}/latest or models:/${name}@<alias>`,
  );
}

// As the registry's ALIAS_CHARACTERS (Python's \w: Unicode letters and digits, _).
const ALIAS_NAME = /^[\p{L}\p{N}_-]+$/u;
