/**
 * Cleanup for servers the tests start as detached processes (PostgreSQL through `pg_ctl`, the S3
 * server): when the test process exits normally the `unload` handler runs the cleanup; if it dies
 * any other way (a signal, a crash), a tiny detached shell notices within a second and runs it.
 *
 * @module
 */

/**
 * Runs `cleanup` (a shell command line) when this process ends, however it ends.
 *
 * @example
 * ```ts
 * await cleanupOnExit(`kill ${serverPid}; rm -rf '${dir}'`);
 * ```
 */
export async function cleanupOnExit(cleanup: string): Promise<void> {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    new Deno.Command("sh", { args: ["-c", cleanup], stdout: "null", stderr: "null" }).outputSync();
  };
  globalThis.addEventListener("unload", run);
  const watch = `while kill -0 ${Deno.pid} 2>/dev/null; do sleep 1; done; ${cleanup}`;
  // Detached (its own session, no pipes to us): it outlives this process by design.
  await new Deno.Command("sh", {
    args: ["-c", `setsid sh -c '${watch.replaceAll("'", "'\\''")}' >/dev/null 2>&1 < /dev/null &`],
    stdout: "null",
    stderr: "null",
  }).output();
}
