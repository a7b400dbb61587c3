/**
 * Dataset inputs of a file-store run, laid out as MLflow's FileStore does: the dataset's meta under
 * `<experiment>/datasets/<md5(name + digest)>/`, the input's under `<run>/inputs/<md5(dataset id + run id)>/`.
 *
 * @module
 */
import { isFile } from "../../../fs_utils.ts";
import { join } from "../../../path.ts";
import type { DatasetInput } from "../../entities.ts";
import { mlflowError } from "../../tracking_errors.ts";
import { mkdirInRun, writeMeta } from "./file_format.ts";
import { leadsOutOf } from "./folder_links.ts";

/**
 * Writes validated `datasets` as inputs of the run in `runDir`. The first write wins, as in MLflow's
 * FileStore (and its SQL store): a dataset or an input logged again keeps its meta and context tags.
 *
 * @example
 * ```ts
 * await writeRunInputs("/tmp/mlruns/1/abc", "abc", [{ dataset, tags: {} }]);
 * ```
 */
export async function writeRunInputs(
  runDir: string,
  runId: string,
  datasets: readonly DatasetInput[],
): Promise<void> {
  const expDir = join(runDir, "..");
  for (const input of datasets) {
    const d = input.dataset;
    const datasetId = await md5(d.name + d.digest);
    checkNoLinkOut(expDir, `datasets/${datasetId}`);
    mkdirInRun(expDir, `datasets/${datasetId}`);
    const datasetMeta = join(expDir, "datasets", datasetId, "meta.yaml");
    if (!isFile(datasetMeta)) {
      await writeMeta(datasetMeta, {
        digest: d.digest,
        name: d.name,
        profile: d.profile ?? null,
        schema: d.schema ?? null,
        source: d.source,
        source_type: d.sourceType,
      });
    }
    const inputId = await md5(datasetId + runId);
    checkNoLinkOut(runDir, `inputs/${inputId}`);
    mkdirInRun(runDir, `inputs/${inputId}`);
    const inputMeta = join(runDir, "inputs", inputId, "meta.yaml");
    if (isFile(inputMeta)) continue;
    await writeMeta(inputMeta, {
      destination_id: runId,
      destination_type: "RUN",
      source_id: datasetId,
      source_type: "DATASET",
      tags: input.tags,
    });
  }
}

// Refuses a dataset input written through a link planted out of its run or experiment (`inputs`, `datasets`).
function checkNoLinkOut(owner: string, relDir: string): void {
  if (!leadsOutOf(owner, relDir)) return;
  throw mlflowError(
    "INVALID_PARAMETER_VALUE",
    `Cannot log the dataset input: the store's '${
      relDir.split("/")[0]
    }' folder is a symbolic link leading out ` +
      "of the store.",
    "the store never follows links out of a run or experiment folder; remove the link or move its target in",
  );
}

// node:crypto (Web Crypto has no MD5) is loaded only when dataset inputs are logged: every command that
// opens a store would pay ~5 ms for it otherwise.
async function md5(text: string): Promise<string> {
  const { createHash } = await import("node:crypto");
  return createHash("md5").update(text).digest("hex");
}
