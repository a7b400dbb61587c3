/** The RunGuard refuses every way of exiting during a run, Node's included, and leaves no trace after. */
import assert from "node:assert/strict";
import { RunError, RunInterruptedError } from "../../lib/errors.ts";
import { renderError } from "../../lib/error_render.ts";
import { RunGuard } from "../../lib/session/run_guard.ts";
import { SignalWatchdog } from "../../lib/session/signal_watchdog.ts";

type Exiting = { exit(code?: number): never; exitCode?: number | string };

function refused(call: () => unknown, how: string): void {
  assert.throws(
    call,
    (e: unknown) =>
      e instanceof RunError && e.code === "run/exit-called" &&
      e.message === `${how} was called during the run`,
  );
}

Deno.test("Deno.exit, the global process.exit and an imported node:process's exit are refused, exit code untouched", async () => {
  const denoExit = Deno.exit;
  const processExit = (globalThis as unknown as { process: Exiting }).process.exit;
  const guard = RunGuard.install();
  try {
    refused(() => Deno.exit(3), "Deno.exit(3)");
    refused(() => (globalThis as unknown as { process: Exiting }).process.exit(5), "process.exit(5)");
    const imported = (await import("node:process")).default as unknown as Exiting;
    refused(() => imported.exit(4), "process.exit(4)");
    assert.equal(imported.exitCode, undefined, "the refused exit left no exit code behind");
    await assert.rejects(() => guard.settle(), (e: unknown) => e instanceof RunError);
  } finally {
    guard.uninstall();
  }
  assert.equal(Deno.exit, denoExit, "Deno.exit is back");
  assert.equal(
    (globalThis as unknown as { process: Exiting }).process.exit,
    processExit,
    "process.exit is back",
  );
});

Deno.test("the main thread's close() (it exits with code 0) is refused during the run and back after", async () => {
  const global = globalThis as unknown as { close(): void };
  const close = global.close;
  const guard = RunGuard.install();
  try {
    refused(() => global.close(), "close()");
    assert.notEqual(global.close, close);
    await assert.rejects(() => guard.settle(), (e: unknown) => e instanceof RunError);
  } finally {
    guard.uninstall();
  }
  assert.equal(global.close, close, "close is back");
});

Deno.test("an exit refused inside a node leaves the run's own error to the runner, however long it takes", async () => {
  // The thread runner lets the other running nodes finish before it fails the run with the node, its
  // location and the resume command: the guard must not end the race with the bare refusal meanwhile.
  const guard = RunGuard.install();
  try {
    const run = (async () => {
      await new Promise((r) => setTimeout(r, 1)); // the runner awaits before its first node
      let refusal: unknown;
      try {
        Deno.exit(3);
      } catch (e) {
        refusal = e;
      }
      await new Promise((r) => setTimeout(r, 30)); // another node still running
      throw new Error(`node "ne" failed: ${(refusal as Error).message}`);
    })();
    await assert.rejects(() => guard.race(run), /node "ne" failed: Deno.exit\(3\) was called/);
    assert.equal(guard.failure?.code, "run/exit-called", "still recorded, for a node that swallows it");
  } finally {
    guard.uninstall();
  }
});

Deno.test("an exit refused in a timer ends the race at once", async () => {
  const guard = RunGuard.install();
  try {
    setTimeout(() => Deno.exit(5), 0);
    const run = new Promise((r) => setTimeout(r, 2000));
    const started = Date.now();
    await assert.rejects(() => guard.race(run), /Deno.exit\(5\) was called/);
    assert.ok(Date.now() - started < 1500);
  } finally {
    guard.uninstall();
  }
});

Deno.test("a refused exit points at the user's line that called it, for Deno.exit and both process.exit", async () => {
  const imported = (await import("node:process")).default as unknown as Exiting;
  const guard = RunGuard.install();
  try {
    const calls: [string, () => unknown][] = [
      ["Deno.exit(1)", () => Deno.exit(1)],
      ["process.exit(2)", () => (globalThis as unknown as { process: Exiting }).process.exit(2)],
      ["process.exit(3)", () => imported.exit(3)],
    ];
    for (const [how, call] of calls) {
      const error = (() => {
        try {
          call();
        } catch (e) {
          return e as RunError;
        }
      })()!;
      const at = error.cause as Error;
      assert.equal(at.message, `${how} called`);
      const frames = at.stack!.split("\n").filter((l) => /^\s+at /.test(l));
      assert.match(frames[0], /run_guard_test\.ts:\d+:\d+/, `${how}: ${at.stack}`);
      assert.match(
        renderError(error),
        new RegExp(`${how.replace(/[().]/g, "\\$&")} called\\n\\s+at .*run_guard_test\\.ts`),
      );
    }
  } finally {
    guard.uninstall();
  }
});

// The watchdog child's state in /proc: whether it has a child (its grace second's `sleep`), whether it ended.
function childrenOf(pid: number): string {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/task/${pid}/children`).trim();
  } catch {
    return "";
  }
}
function ended(pid: number): boolean {
  try {
    return / Z /.test(Deno.readTextFileSync(`/proc/${pid}/stat`).replace(/^.*\)/, ""));
  } catch {
    return true;
  }
}
// The watchdog's state file up to its "." line (a shorter description leaves a longer one's end after it).
function described(path: string): string {
  const text = Deno.readTextFileSync(path);
  const end = text.indexOf("\n.\n");
  return end < 0 ? text : text.slice(0, end + 3);
}
// Whether the child's shell has set its traps (SIGTERM caught): a signal before that would end it.
function trapsSet(pid: number): boolean {
  try {
    const mask = /SigCgt:\s*([0-9a-f]+)/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))?.[1] ?? "0";
    return (BigInt(`0x${mask}`) & (1n << 14n)) !== 0n;
  } catch {
    return false;
  }
}
async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(done(), `never: ${what}`);
}

Deno.test({
  name: "a signal the main thread takes is counted: the watchdog child, which got it too, stops nothing",
  ignore: Deno.build.os !== "linux",
}, async () => {
  const watchdog = new SignalWatchdog();
  const guard = RunGuard.install({ watchdog });
  const pid = () => {
    assert.ok(watchdog.pid, "the watchdog child runs");
    return watchdog.pid;
  };
  try {
    guard.describeStop({ message: "stuck by {signal}", messageOnceTaken: "{signal} again" }); // starts it
    const statePath = watchdog.statePath!;
    assert.equal(described(statePath), "0\n\n\nstuck by {signal}\n.\n");
    // What Ctrl-C does at a terminal: the signal reaches both processes (SIGTERM: deno test takes SIGINT).
    await until("the child's shell set its traps", () => trapsSet(pid()));
    Deno.kill(Deno.pid, "SIGTERM");
    Deno.kill(pid(), "SIGTERM");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unheard = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("the guard never heard of the signal")), 10_000);
    });
    try {
      await assert.rejects(() => guard.race(unheard), (e: unknown) => e instanceof RunInterruptedError);
    } finally {
      clearTimeout(timer);
    }
    const once = "1\n\n\n{signal} again\n.\n";
    assert.equal(described(statePath), once, "the guard counted the signal");
    guard.describeStop({ message: "too late" });
    assert.equal(described(statePath), once, "the description stands once a signal is taken");
    // Past its grace second (its `sleep` came and went) the child waits again, and this process lives:
    // uncounted, the child would have printed the message and killed it.
    const child = pid();
    await until("the child sleeps its grace second", () => childrenOf(child) !== "");
    await until("the grace second ends", () => childrenOf(child) === "");
    assert.ok(!ended(child), "the child waits on");
    guard.uninstall();
    await until("the child ends with the run", () => ended(child));
    assert.throws(() => Deno.statSync(statePath), Deno.errors.NotFound);
  } finally {
    guard.uninstall();
  }
});

Deno.test({
  name: "a stopped watchdog keeps no descriptor open (a process running many runs at a terminal)",
  ignore: Deno.build.os !== "linux",
}, async () => {
  const open = () => [...Deno.readDirSync("/proc/self/fd")].length;
  const before = open();
  const pids: number[] = [];
  for (let i = 0; i < 5; i++) {
    const watchdog = new SignalWatchdog();
    watchdog.describe({ message: "stuck" });
    assert.ok(watchdog.pid);
    pids.push(watchdog.pid);
    watchdog.stop();
  }
  await until("the children end", () => pids.every(ended));
  await until("their pipes close", () => open() <= before);
  assert.equal(open(), before);
});

Deno.test({
  name: "the watchdog child starts with the first description, never after a signal was taken or a stop",
  ignore: Deno.build.os !== "linux",
}, async () => {
  const unused = new SignalWatchdog();
  const guard = RunGuard.install({ watchdog: unused });
  guard.uninstall(); // a run that ended before its first node
  assert.equal(unused.pid, undefined, "no child for a run without a node");
  unused.describe({ message: "late" });
  assert.equal(unused.pid, undefined, "nor once stopped");

  const interrupted = new SignalWatchdog();
  interrupted.taken(); // a signal the main thread took before the first node
  interrupted.describe({ message: "stuck" });
  assert.equal(interrupted.pid, undefined, "the run is ending through its hooks");

  const used = new SignalWatchdog();
  used.describe({ message: "stuck" });
  const pid = used.pid;
  assert.ok(pid, "started by the first description");
  used.describe({ message: "stuck again" });
  assert.equal(used.pid, pid, "one child per run");
  used.stop();
  await until("the child ends", () => ended(pid));
});

Deno.test({
  name: "a watchdog whose state file cannot be made does not start, and leaves no child behind",
  ignore: Deno.build.os !== "linux",
}, async () => {
  const tmp = Deno.env.get("TMPDIR");
  const missing = `${await Deno.makeTempDir()}/gone`;
  Deno.env.set("TMPDIR", missing);
  try {
    const watchdog = new SignalWatchdog();
    watchdog.describe({ message: "stuck" }); // no error: the run goes on without one
    assert.equal(watchdog.pid, undefined);
  } finally {
    if (tmp === undefined) Deno.env.delete("TMPDIR");
    else Deno.env.set("TMPDIR", tmp);
  }
  const naming = () =>
    [...Deno.readDirSync("/proc")].filter((e) => /^\d+$/.test(e.name)).filter((e) => {
      try {
        return Deno.readTextFileSync(`/proc/${e.name}/cmdline`).includes(missing);
      } catch {
        return false;
      }
    });
  await until("the child started for it ends", () => naming().every((e) => ended(Number(e.name))));
  await Deno.remove(missing.replace(/\/gone$/, ""), { recursive: true });
});
