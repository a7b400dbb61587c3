/**
 * Ctrl-C for a node stuck in a synchronous loop. Under the sequential and thread runners node functions run
 * on the main thread; one that never returns (`while (true) {}`, a long computation) holds the event loop,
 * so the run guard's signal listeners never run. The watchdog is a small POSIX `sh` child in kmlf's process
 * group: at a terminal, Ctrl-C sends SIGINT to the whole foreground group, so the child receives it even
 * while kmlf's main thread is held. It gives kmlf a second to take each signal: the state file's first line
 * counts the signals the main thread took (the guard: {@link SignalWatchdog.taken}); if it is still below
 * the number the child got by then, the main thread is stuck: the child prints the stop message kept in the
 * file, writes the stop record, and ends kmlf with SIGKILL. Counting, not a flag, so that a second Ctrl-C
 * still works when the main thread took the first and then got stuck (an interrupted node's code going on
 * after its await into a long loop, while the hooks end the run).
 *
 * Why SIGKILL (the shell reports 137, not 130): kmlf listens for SIGINT/SIGTERM all run long (a free main
 * thread ends the run through its hooks), and a listened-for signal cannot end the process, whichever
 * process sends it; SIGKILL is the one signal no listener (the user's own included) can catch.
 * SIGTERM sent to kmlf's pid alone does not reach the child: a stuck kmlf is stopped by a SIGTERM to its
 * process group (as a terminal's Ctrl-C, a service manager's stop), or by SIGKILL.
 *
 * Costs: no thread and no isolate. `spawn` is synchronous (vfork + exec of `sh`, ~1 ms); the first use of
 * Deno's process API also loads its JavaScript, which imports Deno's web streams (~3.5 ms together, most of it
 * the streams; any Deno.Command, stdio piped or not, loads them). So the watchdog starts only where someone
 * can press Ctrl-C (session_run.ts), and only when a node is about to run (forced_stop.ts).
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
  /** The message instead, once the main thread took a signal (the run is ending through its hooks). */
  messageOnceTaken?: string;
}

// $1: the state file: the number of signals kmlf's main thread took; the stop record's path (or empty); a
// folder one of whose files must hold kmlf's pid for the record to be written (or empty: no condition); the
// message, up to a line holding only "." (what follows is left from a longer description). `read` returns at end-of-file (kmlf ended) or when a trapped signal interrupts it (`sig` names the
// last one, `got` counts them). HUP and QUIT are ignored: they end kmlf, whose end the child then sees. Each
// signal gets its grace second: one that comes during it (a quick second Ctrl-C, which also ends `sleep`)
// starts it again, so a free main thread always has the time to take it. A count it cannot read (no
// description yet) leaves the signal to kmlf. The shell's complaints go nowhere (fd 2); the message goes to
// kmlf's stderr (fd 3).
const SCRIPT = `state=$1 got=0
exec 3>&2 2>/dev/null
trap 'sig=SIGINT got=$((got + 1))' INT
trap 'sig=SIGTERM got=$((got + 1))' TERM
trap '' HUP QUIT
while :; do
  sig=
  read -r _ && continue
  [ -n "$sig" ] || break
  slept=
  while [ "$slept" != "$got" ]; do slept=$got; sleep ${WATCHDOG_GRACE_MS / 1000}; done
  IFS= read -r taken <"$state"
  [ "$taken" -lt "$got" ] || continue
  kill -0 "$PPID" || break
  { IFS= read -r _; IFS= read -r record; IFS= read -r pids
    sed -n -e '/^\\.$/q' -e "s/{signal}/$sig/g" -e p >&3; } <"$state"
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
 * watchdog.taken(); // the main thread took a signal: the hooks end the run
 * watchdog.stop();
 * ```
 */
export class SignalWatchdog {
  #child: Deno.ChildProcess | undefined;
  #state: string | undefined;
  // Kept open and rewritten in place: on ext4 a file truncated to 0 and written again is flushed to disk
  // when closed (auto_da_alloc), 3–15 ms per write on a busy disk, where this costs ~0.05 ms.
  #file: Deno.FsFile | undefined;
  #tried = false;
  #taken = 0;
  #description: StopDescription | undefined;

  /**
   * Starts the child unless it was started (or tried) already; whether it runs. Unix only: false where
   * `/bin/sh` or a temp file is not to be had. The state file starts empty: until a {@link describe}, a
   * signal is left to the main thread.
   */
  start(): boolean {
    if (this.#tried) return this.#child !== undefined;
    this.#tried = true;
    if (Deno.build.os === "windows") return false;
    // The state file is created after the child starts, so that whenever kmlf ends the child removes it.
    const state = `${tempDir()}/kmlf-watchdog-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
    try {
      this.#child = new Deno.Command("/bin/sh", {
        args: ["-c", SCRIPT, "kmlf-watchdog", state],
        stdin: "piped",
        stdout: "null",
        stderr: "inherit",
      }).spawn();
      this.#child.unref(); // it ends with kmlf; kmlf need not wait for it
      this.#file = Deno.openSync(state, { write: true, createNew: true, mode: 0o600 });
      this.#state = state;
      return true;
    } catch {
      this.stop();
      return false;
    }
  }

  /** The child's pid (undefined until it started). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** The state file: signals taken, the stop record's path and its condition, then the message. */
  get statePath(): string | undefined {
    return this.#state;
  }

  /**
   * What to print (and record) if the main thread is found stuck from now on; starts the child. Ignored once
   * the main thread took a signal: the description given to {@link taken} then stands.
   */
  describe(description: StopDescription): void {
    if (this.#taken > 0 || !this.start()) return;
    this.#description = description;
    this.#write();
  }

  /**
   * The main thread took a signal (its run now ends through the hooks): the child must not act on it, but
   * still on a later one the main thread does not take, saying `messageOnceTaken`.
   */
  taken(): void {
    this.#taken++;
    this.#write();
  }

  /** Ends the child and removes its state file (the run is over); one never started is not started. */
  stop(): void {
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

  #write(): void {
    if (!this.#file || !this.#description) return;
    const { record, recordIfPidIn, message: first, messageOnceTaken } = this.#description;
    const message = this.#taken > 0 && messageOnceTaken !== undefined ? messageOnceTaken : first;
    const line = (path: string | undefined) => (path ?? "").replaceAll("\n", " ");
    const text = `${this.#taken}\n${line(record)}\n${line(recordIfPidIn)}\n${message}\n.\n`;
    const bytes = encoder.encode(text);
    try {
      // Never truncated (~20 µs each on ext4, once per node): a shorter description leaves the end of a
      // longer one after its "." line, which the child does not read.
      this.#file.seekSync(0, Deno.SeekMode.Start);
      for (let at = 0; at < bytes.length;) at += this.#file.writeSync(bytes.subarray(at));
    } catch { /* the state file is unwritable: the watchdog then acts on what it last held */ }
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

// Where Deno.makeTempFile would write (TMPDIR, else /tmp); asked of the permissions first, never prompting.
function tempDir(): string {
  try {
    if (Deno.permissions.querySync({ name: "env", variable: "TMPDIR" }).state !== "granted") return "/tmp";
    return Deno.env.get("TMPDIR")?.replace(/\/+$/, "") || "/tmp";
  } catch {
    return "/tmp";
  }
}

function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch { /* gone already */ }
}
