// The experiment page's header: the name (renamed in place through experiments/update) and the markdown
// description (the experiment tag mlflow.note.content, as MLflow's UI keeps it); for several
// experiments, their names.
import { apiPost, forgetExperiment, getExperiment } from "./api.js";
import { errorBox, h, mount } from "./dom.js";
import { deletedNotice, descriptionEditor, editableTitle } from "./editors.js";
import { experimentHash } from "./routes.js";
import { shellCommand } from "./shell_words.js";

export const NOTE_TAG = "mlflow.note.content";

/** The header for `experimentIds`; `onName(id, name)` hears about names as they load. */
export function experimentHeader(experimentIds, onName = () => {}) {
  const el = h("div", { class: "experiment-header" }, h("h1", { testid: "experiment-name" }, "…"));
  const errors = h("div");
  Promise.all(experimentIds.map((id) => getExperiment(id))).then(
    (experiments) => {
      experiments.forEach((e) => onName(e.experiment_id, e.name));
      if (experiments.length > 1) {
        document.title = `${experiments.length} experiments · kmlf`;
        mount(
          el,
          h("h1", { testid: "experiment-name" }, `${experiments.length} experiments`),
          h(
            "p",
            { class: "muted", testid: "compared-experiments" },
            experiments.flatMap((e, i) => [
              i ? ", " : "",
              h("a", { href: experimentHash([e.experiment_id]) }, e.name),
            ]),
          ),
        );
        return;
      }
      const e = experiments[0];
      document.title = `${e.name} · kmlf`;
      const note = (e.tags ?? []).find((t) => t.key === NOTE_TAG)?.value ?? "";
      // The server refuses to rename or describe a deleted experiment (as MLflow's): say so instead.
      const deleted = e.lifecycle_stage === "deleted";
      mount(
        el,
        editableTitle({
          text: e.name,
          testid: "experiment-name",
          readOnly: deleted,
          onSave: async (name) => {
            await apiPost("experiments/update", { experiment_id: e.experiment_id, new_name: name });
            forgetExperiment(e.experiment_id);
            onName(e.experiment_id, name);
            document.title = `${name} · kmlf`;
          },
        }),
        e.lifecycle_stage === "deleted"
          ? h("span", {
            class: "badge deleted",
            testid: "experiment-deleted",
            title: "Restore it from the Experiments page's Deleted view",
          }, "deleted")
          : null,
        deleted
          ? deletedNotice(
            "experiment",
            "from the Experiments page's Deleted view",
            shellCommand(["kmlf", "experiments", "restore", "--experiment-id", e.experiment_id]),
          )
          : null,
        deleted && !note ? null : h(
          "details",
          {
            class: "experiment-description",
            open: note ? true : undefined,
            testid: "experiment-description-box",
          },
          h("summary", {}, note ? "About this experiment" : "Add a description"),
          descriptionEditor({
            value: note,
            testid: "experiment-description",
            readOnly: deleted,
            // MLflow's MAX_EXPERIMENT_TAG_VAL_LENGTH (the server refuses longer, quoting the whole text).
            maxChars: 5000,
            onSave: async (text) => {
              await apiPost("experiments/set-experiment-tag", {
                experiment_id: e.experiment_id,
                key: NOTE_TAG,
                value: text,
              });
              forgetExperiment(e.experiment_id);
            },
          }),
        ),
      );
    },
    (error) => mount(errors, errorBox(error.message, "experiment-error")),
  );
  return h("div", {}, el, errors);
}
