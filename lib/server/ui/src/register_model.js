// The run page's "Register model" action: registers a model the run logged (an artifact folder holding
// an MLmodel file) as a new version of a new or existing registered model, like MLflow's UI.
import { listArtifacts } from "./api.js";
import { errorBox, h, mount } from "./dom.js";
import { allModelNames, registerModel, versionHash } from "./registry_api.js";

/** Folders of the run's artifacts (up to two levels deep) that hold an MLmodel file. */
export async function loggedModelPaths(run) {
  const found = new Set();
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
    for (const f of files.filter((f) => f.is_dir).slice(0, 50)) await scan(f.path, depth - 1);
  };
  await scan("", 2);
  return [...found].sort();
}

// Each open form gets its own datalist id (a run page and a folder view may both show one).
let forms = 0;

/**
 * The "Register model" button and its form: registers one of the run's logged models (or, with
 * `options.path`, the model in that artifact folder); `options.onRegistered(version)` hears of success,
 * `options.testid` names the button (default register-model).
 */
export function registerModelButton(run, options = {}) {
  const panel = h("div", { class: "register-panel", testid: "register-panel", hidden: true });
  const open = async () => {
    panel.hidden = !panel.hidden;
    if (panel.hidden) return;
    mount(panel, h("p", { class: "muted" }, "Looking for logged models…"));
    try {
      const [paths, modelNames] = await Promise.all([
        options.path ? [options.path] : loggedModelPaths(run),
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
          const source = `${run.info.artifact_uri.replace(/\/+$/, "")}/${pathSelect.value}`;
          const mv = await registerModel(name, source, run.info.run_id);
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
