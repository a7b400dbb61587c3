/**
 * Names that try to leave a store, by class. Every traversal test draws from these lists, so a new
 * variant added here is tried against every store and every read path at once.
 */

/** Metric/param/tag keys (and artifact paths) that must never name a file outside a store. */
export const TRAVERSAL_NAMES: readonly string[] = [
  "..",
  "../secret",
  "../../secret",
  "../../../../../../../../secret",
  "a/../../secret",
  "./../secret",
  "../tags/mlflow.runName",
  "../../meta.yaml",
  "/etc/passwd",
  "//etc/passwd",
  "..\\secret",
  "a\\..\\..\\secret",
  "C:\\Windows\\win.ini",
  "secret\0",
  "\0",
  "m\0/../../x",
  "%2e%2e/secret",
  "%2e%2e%2fsecret",
  "..%2Fsecret",
  "%252e%252e%252fsecret",
  "file:///etc/passwd",
];

/** Run ids that are not ids: paths, encodings, NUL, over-long. */
export const BAD_RUN_IDS: readonly string[] = [
  "..",
  "../..",
  "../../etc",
  "0/../0",
  "/etc/passwd",
  "..\\..",
  "%2e%2e",
  "abc\0",
  "\0",
  ".hidden",
  "f".repeat(300),
];

/** Experiment ids that are not ids. */
export const BAD_EXPERIMENT_IDS: readonly string[] = [
  "..",
  "../..",
  "0/../0",
  "/tmp",
  "..\\0",
  "%2e%2e",
  "0\0",
  ".trash",
  "9".repeat(80),
];

/** Whether a message shows one of `folders` (the test's temp dir, the store root, the project). */
export function leaksPath(message: string, ...folders: string[]): boolean {
  return folders.some((folder) => message.includes(folder));
}
