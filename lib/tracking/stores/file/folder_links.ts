/**
 * Where a file store stops following symbolic links: someone who can write the store (a shared team folder)
 * may plant a link as any of its files or folders — a run's `tags`, a `meta.yaml` — and no name a client
 * sends may then reach a file of the folder it leads to. A link that stays inside its run, experiment or model
 * folder is followed (a store rearranged with links).
 *
 * @module
 */
import { dirname, join } from "../../../path.ts";
import { isFile, lstatIfAny, resolvesInside } from "../../../fs_utils.ts";

/**
 * Whether `path` (below `folder`, a key folder: a run's `metrics`, `params` or `tags`, an experiment's or a
 * registered model's `tags`, a model's `aliases`) stays inside the run, experiment or model folder holding
 * that folder once symbolic links are resolved: the key folder itself may be the link someone planted
 * (`tags` → `~/.ssh`), and then everything below it lies outside the store. A link to another file of the
 * same run (`metrics/alias` → `metrics/loss`) is followed.
 *
 * @example
 * ```ts
 * insideKeyFolder(join(runDir, "tags"), join(runDir, "tags", "stage")); // false when tags/ is a link out
 * ```
 */
export function insideKeyFolder(folder: string, path: string): boolean {
  return resolvesInside(dirname(folder), path);
}

/**
 * Whether `path` is a symbolic link leading out of the folder holding it (only a link can: a plain file or
 * folder lies where its folder does, so the common case costs one lstat).
 *
 * @example
 * ```ts
 * if (linksOutOfFolder(join(runDir, "meta.yaml"))) console.log("planted");
 * ```
 */
export function linksOutOfFolder(path: string): boolean {
  return lstatIfAny(path)?.isSymlink === true && !resolvesInside(dirname(path), path);
}

/**
 * Whether `relPath` below `owner` (a run's `inputs/<id>/meta.yaml`, an experiment's `datasets/<id>`) goes
 * through a symbolic link leading out of `owner`. Only links are resolved, so the common case costs one lstat
 * per segment.
 *
 * @example
 * ```ts
 * if (leadsOutOf(runDir, "inputs/abc/meta.yaml")) console.log("not the run's");
 * ```
 */
export function leadsOutOf(owner: string, relPath: string): boolean {
  let current = owner;
  for (const name of relPath.split("/")) {
    current = join(current, name);
    if (lstatIfAny(current)?.isSymlink) return !resolvesInside(owner, join(owner, relPath));
  }
  return false;
}

/**
 * Whether `path` is a meta.yaml `readMeta` reads: a file, and no link out of its folder.
 *
 * @example
 * ```ts
 * if (isMetaFile(join(runDir, "meta.yaml"))) console.log("still a run");
 * ```
 */
export function isMetaFile(path: string): boolean {
  return isFile(path) && !linksOutOfFolder(path);
}
