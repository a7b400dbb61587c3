// The run page's "Register model" action: registers a model the run logged (an artifact folder holding
// an MLmodel file) as a new version of a new or existing registered model, like MLflow's UI.
import { artifactFullUri, listArtifacts } from "./api.js";
import { errorBox, h, mount } from "./dom.js";
import { allModelNames, registerModel, versionHash } from "./registry_api.js";

/** Subfolders searched per folder when looking for logged models (a run may log thousands of folders). */
const MAX_SCANNED_FOLDERS = 50;

/**
 * Folders of the run's artifacts (up to two levels deep, MAX_SCANNED_FOLDERS per folder) that hold an
 * MLmodel file, sorted; `skipped` counts the folders left unsearched, so the form can say so.
 */
export async function loggedModelPaths(run) {
  const found = new Set();
  let skipped = 0;
  const history = (run.data?.tags ?? []).find((t) => t.key === "mlflow.log-model.history")?.value;
  try {
    for (const entry of JSON.parse(history ?? "[]")) if (entry?.artifact_path) found.add(entry.artifact_path);
  } catch {
    // a malformed history tag: the folders below still tell
  }
  const scan = async (path, depth) => {
    // A folder the server will not list (a name holding '#') holds no model this UI could register.
    const files = await listArtifacts(run.info.run_id, path).catch((error) => {
      if (path && error.status === 400) return [];
      throw error;
    });
    if (files.some((f) => !f.is_dir && f.path.split("/").pop() === "MLmodel") && path) found.add(path);
    if (depth === 0) return;
    const folders = files.filter((f) => f.is_dir);
    skipped += Math.max(0, folders.length - MAX_SCANNED_FOLDERS);
    for (const f of folders.slice(0, MAX_SCANNED_FOLDERS)) await scan(f.path, depth - 1);
  };
  await scan("", 2);
  return { paths: [...found].sort(), skipped };
}

/** What the form says when the search for logged models left folders out (nothing when none was). */
function skippedNote(skipped) {
  if (!skipped) return null;
  return h(
    "p",
    { class: "muted", testid: "register-scan-note" },
    `Searched the first ${MAX_SCANNED_FOLDERS} folders of each folder; ${skipped} more were not searched. ` +
      "To register a model there, open its folder in the Artifacts tab and use its Register button.",
  );
}

// Each open form gets its own datalist id (a run page and a folder view may both show one).
let forms = 0;

/**
 * The "Register model" button and its form: registers one of the run's logged models (or, with
 * `options.path`, the model in that artifact folder); `options.onRegistered(version)` hears of success,
 * `options.testid` names the button (default register-model).
 */
/**
 * The source a version registered from a run's model gets: the run's artifact URI plus the path, encoded
 * as the store reads it back (`artifactFullUri`), so a `#`, `%` or space in the path names the same folder.
 *
 * @example
 * ```js
 * modelSource({ info: { artifact_uri: "mlflow-artifacts:/1/ab/artifacts" } }, "my model");
 * // "mlflow-artifacts:/1/ab/artifacts/my%20model"
 * ```
 */
export function modelSource(run, path) {
  return artifactFullUri(run.info.artifact_uri, path);
}

export function registerModelButton(run, options = {}) {
  const panel = h("div", { class: "register-panel", testid: "register-panel", hidden: true });
  const open = async () => {
    panel.hidden = !panel.hidden;
    if (panel.hidden) return;
    mount(panel, h("p", { class: "muted" }, "Looking for logged models…"));
    try {
      const [{ paths, skipped }, modelNames] = await Promise.all([
        options.path ? { paths: [options.path], skipped: 0 } : loggedModelPaths(run),
        allModelNames(),
      ]);
      if (!paths.length) {
        mount(
          panel,
          h(
            "p",
            { testid: "no-logged-model" },
            "This run has no logged model: an artifact folder holding an MLmodel file.",
          ),
          skippedNote(skipped),
        );
        return;
      }
      const pathSelect = h(
        "select",
        { testid: "register-path" },
        paths.map((p) => h("option", { value: p }, p)),
      );
      const listId = `registered-model-names-${++forms}`;
      const list = h(
        "datalist",
        { id: listId },
        modelNames.map((name) => h("option", { value: name })),
      );
      const nameInput = h("input", {
        class: "search",
        list: listId,
        placeholder: "model name (new or existing)",
        testid: "register-name",
      });
      const result = h("div", { testid: "register-result" });
      const submit = async () => {
        const name = nameInput.value.trim();
        if (!name) return mount(result, errorBox("Name the registered model first."));
        try {
          const mv = await registerModel(name, modelSource(run, pathSelect.value), run.info.run_id);
          options.onRegistered?.(mv);
          mount(
            result,
            "Registered ",
            h(
              "a",
              { href: versionHash(mv.name, mv.version), testid: "registered-version" },
              `${mv.name} version ${mv.version}`,
            ),
            ".",
          );
        } catch (error) {
          mount(result, errorBox(error.message ?? String(error)));
        }
      };
      mount(
        panel,
        h(
          "div",
          { class: "toolbar" },
          h("label", {}, "Model ", pathSelect),
          h("label", {}, "as ", nameInput, list),
          h("button", { testid: "register-submit", onclick: submit }, "Register"),
        ),
        skippedNote(skipped),
        result,
      );
      nameInput.focus();
    } catch (error) {
      mount(panel, errorBox(error.message ?? String(error)));
    }
  };
  return {
    button: h("button", { testid: options.testid ?? "register-model", onclick: open }, "Register model"),
    panel,
  };
}
