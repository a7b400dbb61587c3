// The experiment page's actions on selected runs — Compare, Rename (one run, through runs/update as
// MLflow's UI does), Delete / Restore — and "Download CSV" of every run the search matches. A refusal
// shows the server's message in the page's error slot; a bulk delete / restore tries every selected run,
// reloads the table and says which runs the server refused and why.
import { apiPost, forgetRun } from "./api.js";
import { countOf, errorBox, h, mount, runLabel } from "./dom.js";
import { compareHash } from "./routes.js";
import { promptDialog } from "./editors.js";
import { csvCapNote, downloadRunsCsv } from "./runs_download.js";

/**
 * The action buttons. ctx: {selected (Set of run ids), runById(id), experimentIds, experimentName(id),
 * deleted() (the Deleted view is shown), searchRequest(pageToken, max), errorSlot, reload() (after a
 * lifecycle change), selectionChanged() (runs left the selection), renamed() (after a rename)}. Returns
 * {el (the buttons), update()}.
 */
export function runActions(ctx) {
  const { selected, errorSlot } = ctx;
  const compare = h("button", { testid: "compare-button", disabled: true }, "Compare");
  const rename = h("button", { testid: "rename-button", disabled: true }, "Rename");
  const remove = h("button", { testid: "delete-button", disabled: true }, "Delete");
  const restore = h("button", { testid: "restore-button", disabled: true }, "Restore");
  const csv = h(
    "button",
    { testid: "download-csv", title: "Every run the search matches, as CSV" },
    "Download CSV",
  );
  const fail = (error) => mount(errorSlot, errorBox(error.message, "runs-error"));

  const update = () => {
    compare.disabled = selected.size < 2;
    rename.disabled = selected.size !== 1;
    remove.disabled = selected.size === 0;
    restore.disabled = selected.size === 0;
    remove.hidden = ctx.deleted();
    restore.hidden = !ctx.deleted();
    compare.textContent = selected.size ? `Compare (${selected.size})` : "Compare";
  };

  const lifecycle = async (endpoint) => {
    const ids = [...selected];
    const verb = endpoint === "runs/delete" ? "delete" : "restore";
    if (verb === "delete" && !confirm(`Delete ${countOf(ids.length, "run")}?`)) return;
    const labels = new Map(ids.map((id) => [id, ctx.runById(id) ? runLabel(ctx.runById(id)) : id]));
    mount(errorSlot);
    // Every run is tried, as MLflow's UI does; one refusal must not hide what the others did.
    const failed = [];
    for (const id of ids) {
      try {
        await apiPost(endpoint, { run_id: id });
        selected.delete(id);
      } catch (error) {
        failed.push({ id, message: error.message ?? String(error) });
      }
      forgetRun(id);
    }
    update();
    await ctx.reload();
    // The refused runs stay selected for a retry, when the reloaded table still shows them.
    for (const id of [...selected]) if (!ctx.runById(id)) selected.delete(id);
    update();
    ctx.selectionChanged();
    if (failed.length) errorSlot.append(partialFailure(verb, ids.length, failed, labels));
  };
  remove.addEventListener("click", () => lifecycle("runs/delete"));
  restore.addEventListener("click", () => lifecycle("runs/restore"));

  rename.addEventListener("click", async () => {
    const id = [...selected][0];
    const run = ctx.runById(id);
    if (!run) return;
    const name = await promptDialog({
      title: "Rename run",
      label: "New name",
      value: runLabel(run),
      testid: "rename-run",
    });
    if (name === undefined || name === run.info.run_name) return;
    try {
      if (!name) throw new Error("Cannot rename the run: the name is empty");
      const answer = await apiPost("runs/update", { run_id: id, run_name: name });
      run.info.run_name = answer.run_info?.run_name ?? name;
      run.tags.set("mlflow.runName", run.info.run_name);
      forgetRun(id);
      mount(errorSlot);
      ctx.renamed();
    } catch (error) {
      fail(error);
    }
  });

  compare.addEventListener("click", () => {
    const ids = [...selected];
    const exps = [...new Set(ids.map((id) => ctx.runById(id)?.info.experiment_id).filter(Boolean))];
    location.hash = compareHash(ids, exps.length ? exps : ctx.experimentIds);
  });

  csv.addEventListener("click", () =>
    downloadRunsCsv({
      request: ctx.searchRequest,
      experimentName: ctx.experimentName,
      name: ctx.experimentIds.map(ctx.experimentName).join("_"),
      button: csv,
    }).then(({ capped }) => {
      if (capped) mount(errorSlot, csvCapNote());
      else if (errorSlot.querySelector("[data-testid=csv-capped]")) mount(errorSlot);
    }, fail));
  return { el: [compare, rename, remove, restore, csv], update };
}

/** What a bulk delete / restore did and, run by run, what the server refused and why. */
function partialFailure(verb, total, failed, labels) {
  const done = total - failed.length;
  const past = verb === "delete" ? "Deleted" : "Restored";
  return h(
    "div",
    { class: "error-box", testid: "runs-error", role: "alert" },
    h(
      "p",
      { testid: "lifecycle-summary" },
      `${past} ${done} of ${countOf(total, "run")}; the server refused to ${verb} ${failed.length}:`,
    ),
    h(
      "ul",
      {},
      failed.map(({ id, message }) =>
        h(
          "li",
          { testid: "lifecycle-failure", dataset: { runId: id } },
          labels.get(id) === id ? id : `${labels.get(id)} (${id})`,
          `: ${message}`,
        )
      ),
    ),
  );
}
