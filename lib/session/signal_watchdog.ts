/**
 * Ctrl-C for a node stuck in a synchronous loop. Under the sequential and thread runners node functions run
 * on the main thread; one that never returns (`while (true) {}`, a long computation) holds the event loop,
 * so the run guard's signal listeners never run. The watchdog is a small POSIX `sh` child in kmlf's process
 * group: at a terminal, Ctrl-C sends SIGINT to the whole foreground group, so the child receives it even
 * while kmlf's main thread is held. It gives kmlf a second to take the signal (the guard then empties the
 * state file: {@link SignalWatchdog.acknowledge}); if the file still holds the stop message by then, the
 * main thread is stuck: the child prints the message, writes the stop record, and ends kmlf with SIGKILL.
 *
 * Why SIGKILL (the shell reports 137, not 130): kmlf listens for SIGINT/SIGTERM all run long (a free main
 * thread ends the run through its hooks), and a listened-for signal cannot end the process, whichever
 * process sends it; SIGKILL is the one signal no listener (the user's own included) can catch.
 * SIGTERM sent to kmlf's pid alone does not reach the child: a stuck kmlf is stopped by a SIGTERM to its
 * process group (as a terminal's Ctrl-C, a service manager's stop), or by SIGKILL.
 *
 * Costs: no thread and no isolate. `spawn` is synchronous (vfork + exec of `sh`); the first use of Deno's
 * process API also loads its JavaScript, web streams included (the dominant part, unless the run already
 * started a process, e.g. git). So the watchdog starts only where someone can press Ctrl-C (session_run.ts).
 * The child reads its stdin, a pipe kmlf never writes: it sees end-of-file the moment kmlf ends however it
 * ends (exit, crash, SIGKILL) and exits then, removing the state file; it never prints on a normal run.
 *
 * @module
 */

/** How long the main thread may take to take a signal before it is deemed stuck (the script's `sleep 1`). */
export const WATCHDOG_GRACE_MS = 1000;

/** What the watchdog prints and writes when it stops the process (`{signal}` names the signal). */
export interface StopDescription {
  message: string;
  /** A file to write the signal's name into: the record that this process was stopped by force. */
  record?: string;
  /** Write `record` only if a file of this folder holds this process's pid (a line of its own). */
  recordIfPidIn?: string;
}

// $1: the state file (line 1 the stop record's path, possibly empty; line 2 a folder one of whose files must
// hold kmlf's pid for the record to be written, empty for none; then the message). `read` returns at
// end-of-file (kmlf ended) or when a trapped signal interrupts it; `sig` tells which. HUP and QUIT are
// ignored: they end kmlf, whose end the child then sees. A second Ctrl-C in the grace second ends `sleep`.
// The shell's own complaints go nowhere (fd 2); the message goes to kmlf's stderr (fd 3).
const SCRIPT = `state=$1
exec 3>&2 2>/dev/null
trap 'sig=SIGINT' INT
trap 'sig=SIGTERM' TERM
trap '' HUP QUIT
while :; do
  sig=
  read -r _ && continue
  [ -n "$sig" ] || break
  sleep ${WATCHDOG_GRACE_MS / 1000}
  [ -s "$state" ] || continue
  kill -0 "$PPID" || break
  { IFS= read -r record; IFS= read -r pids; sed "s/{signal}/$sig/g" >&3; } <"$state"
  if [ -n "$pids" ] && ! grep -qsx "$PPID" "$pids"/*; then record=; fi
  if [ -n "$record" ]; then mkdir -p "\${record%/*}" && printf '%s\\n' "$sig" >"$record"; fi
  kill -KILL "$PPID"
  break
done
rm -f "$state"
`;

const encoder = new TextEncoder();

/**
 * kmlf's side of the watchdog child, which starts with the first {@link describe}: the first node about to
 * run (forced_stop.ts). A run that fails in its checks or hooks, or has no node to run, never pays for it.
 *
 * @example
 * ```ts
 * const watchdog = new SignalWatchdog();
 * watchdog.describe({ message: "Run interrupted by {signal}" }); // starts the child
 * watchdog.acknowledge(); // the main thread took a signal: the run ends through its hooks
 * watchdog.stop();
 * ```
 */
export class SignalWatchdog {
  #child: Deno.ChildProcess | undefined;
  #state: string | undefined;
  // Kept open and rewritten in place: on ext4 a file truncated to 0 and written again is flushed to disk
  // when closed (auto_da_alloc), 3–15 ms per write on a busy disk, where this costs ~0.05 ms.
  #file: Deno.FsFile | undefined;
  #length = 0;
  #tried = false;
  #acknowledged = false;

  /**
   * Starts the child unless it was started (or tried) already; whether it runs. Unix only: false where
   * `/bin/sh` or a temp file is not to be had. The state file starts empty: until a {@link describe}, a
   * signal is left to the main thread.
   */
  start(): boolean {
    if (this.#tried) return this.#child !== undefined;
    this.#tried = true;
    if (Deno.build.os === "windows") return false;
    try {
      this.#state = Deno.makeTempFileSync({ prefix: "kmlf-watchdog-" });
      this.#file = Deno.openSync(this.#state, { write: true });
      this.#child = new Deno.Command("/bin/sh", {
        args: ["-c", SCRIPT, "kmlf-watchdog", this.#state],
        stdin: "piped",
        stdout: "null",
        stderr: "inherit",
      }).spawn();
      this.#child.unref(); // it ends with kmlf; kmlf need not wait for it
      return true;
    } catch {
      this.#release();
      return false;
    }
  }

  /** The child's pid (undefined until it started). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** The state file: the stop record's path and its condition on two lines, then the message (or empty). */
  get statePath(): string | undefined {
    return this.#state;
  }

  /** What to print (and record) if the main thread is found stuck from now on; starts the child. */
  describe(description: StopDescription): void {
    if (this.#acknowledged || !this.start()) return;
    const line = (path: string | undefined) => (path ?? "").replaceAll("\n", " ");
    const bytes = encoder.encode(
      `${line(description.record)}\n${line(description.recordIfPidIn)}\n${description.message}\n`,
    );
    try {
      this.#file!.seekSync(0, Deno.SeekMode.Start);
      for (let at = 0; at < bytes.length;) at += this.#file!.writeSync(bytes.subarray(at));
      if (bytes.length < this.#length) this.#file!.truncateSync(bytes.length); // else all was overwritten
      this.#length = bytes.length;
    } catch { /* the state file is unwritable: the watchdog then prints what it last held */ }
  }

  /** The main thread took a signal: its run ends through the hooks, so the child must not act on it. */
  acknowledge(): void {
    if (this.#acknowledged) return;
    this.#acknowledged = true;
    try {
      this.#file?.truncateSync(0);
    } catch { /* gone already */ }
  }

  /** Ends the child and removes its state file (the run is over); one never started is not started. */
  stop(): void {
    this.#acknowledged = true;
    this.#tried = true;
    const child = this.#child;
    this.#release();
    if (!child) return;
    try {
      child.kill("SIGKILL");
    } catch { /* ended already */ }
    // The pipe's end, or a process running many runs would keep one descriptor per run.
    child.stdin.close().catch(() => {});
  }

  #release(): void {
    try {
      this.#file?.close();
    } catch { /* closed already */ }
    if (this.#state) removeQuietly(this.#state);
    this.#file = undefined;
    this.#state = undefined;
    this.#child = undefined;
  }
}

function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch { /* gone already */ }
}
