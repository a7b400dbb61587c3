/**
 * What `MlflowClient` adds to an artifact repository's calls: a folder of artifacts built where the
 * repository cannot build it in place, and a dict written as YAML or JSON text.
 *
 * @module
 */
import { extname } from "../../path.ts";
import type { ArtifactRepository } from "../artifacts/artifact_repository.ts";
import { TrackingError } from "../../errors.ts";
import { makeTempFolder } from "../../temp_folder.ts";

/**
 * Lets `fill` write a folder of artifacts that lands under `artifactPath`: in place when the repository can
 * build it (a local artifact root), else written to a temp folder and uploaded.
 *
 * @example
 * ```ts
 * await buildArtifactsWith(repo, "model", (dir) => Deno.writeTextFile(`${dir}/MLmodel`, text));
 * ```
 */
export async function buildArtifactsWith<T>(
  repo: ArtifactRepository,
  artifactPath: string,
  fill: (dir: string) => Promise<T>,
): Promise<T> {
  if (repo.buildArtifacts) return await repo.buildArtifacts(artifactPath, fill);
  const dir = await makeTempFolder("kmlf-artifacts-");
  try {
    const result = await fill(dir);
    await repo.logArtifacts(dir, artifactPath);
    return result;
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * `dict` as the text of `artifactFile`: YAML for `.yaml`/`.yml` files (as MLflow's `yaml.dump(dict, indent=2,
 * default_flow_style=False)` writes it), otherwise JSON as MLflow's `json.dump(dict, f, indent=2)` writes it
 * (non-ASCII escaped, no trailing newline). NaN and the infinities are refused (most JSON readers reject
 * what Python writes for them).
 *
 * @example
 * ```ts
 * await dictText({ a: 1 }, "config.yaml"); // "a: 1\n"
 * ```
 */
export async function dictText(dict: unknown, artifactFile: string): Promise<string> {
  const ext = extname(String(artifactFile)).toLowerCase();
  const yaml = ext === ".yaml" || ext === ".yml";
  let text: string | undefined;
  try {
    if (yaml) {
      const { pyyamlDump } = await import("../../yaml/pyyaml_dump.ts");
      text = pyyamlDump(dict);
    } else if (dict !== undefined && typeof dict !== "function" && typeof dict !== "symbol") {
      const { pyJsonDump } = await import("../../py_json.ts");
      text = pyJsonDump(dict, { indent: 2 });
    }
  } catch (error) {
    // A cycle, a BigInt, a function: what cannot be written is named, not a bare TypeError.
    throw new TrackingError(
      "tracking/unserializable-dict",
      `Cannot write ${artifactFile} with logDict: ${(error as Error).message.split("\n")[0]}`,
      {
        hint: `pass plain data (objects, lists, strings, numbers, booleans, null) that ${
          yaml ? "YAML" : "JSON"
        } can hold`,
      },
    );
  }
  if (text === undefined) {
    throw new TrackingError(
      "tracking/unserializable-dict",
      `Cannot write ${artifactFile} with logDict: the dict is ${dict}`,
      {
        hint: 'pass the object to log, e.g. client.logDict(runId, { lr: 0.1 }, "config.json")',
      },
    );
  }
  return text;
}
