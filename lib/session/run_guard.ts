/**
 * Guards one pipeline run against the ways user code can end the process behind the runner's back, so
 * that every run ends through the hooks (a tracked run FAILED or KILLED, never left RUNNING):
 *
 * - `Deno.exit()` / `process.exit()` / `close()` from a node or a hook: refused with an error of the run;
 * - a rejected promise nobody awaits, an error thrown from a timer: the run fails with it;
 * - SIGINT / SIGTERM: the run is interrupted (a second signal exits at once); with a watchdog child
 *   (signal_watchdog.ts) also while a node holds the main thread in a synchronous loop;
 * - and whenever the process exits, the temp files of saves still in progress are removed.
 *
 * @module
 */
import { removeTempFilesInFlight } from "../catalog/atomic.ts";
import { type KmlfError, RunError, RunInterruptedError } from "../errors.ts";
import type { SignalWatchdog, StopDescription } from "./signal_watchdog.ts";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;
const SIGNAL_NUMBER = { SIGINT: 2, SIGTERM: 15 } as const;
let unloadCleanup = false;

function describe(value: unknown): string {
  return value instanceof Error ? value.message : typeof value === "string" ? value : Deno.inspect(value);
}

/**
 * Resolves after one turn of the event loop (when rejections nobody handled have been reported). A message
 * port takes ~0.1 ms; `setTimeout(…, 0)` takes ~2 ms in Deno, and its first use ~7 ms (the timers start).
 */
function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      channel.port2.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

type ProcessLike = { exit(code?: number): never };

// Written straight to stderr: the process ends on the next line, with no one left to report to.
function stopNote(signal: string): void {
  try {
    Deno.stderr.writeSync(
      new TextEncoder().encode(
        `warning[run/stopped]: a second ${signal}: stopped at once, before the run's hooks finished ending it; ` +
          "a tracked MLflow run may stay RUNNING\n  hint: end it with " +
          'MlflowClient.setTerminated("<run id>", "KILLED") (the id kmlf printed when the run started)\n',
      ),
    );
  } catch { /* stderr is gone: nothing to say it on */ }
}

/**
 * Refuses `process.exit` without loading node:process (~8 ms of every run): the global `process` is a
 * lazy accessor in Deno, so it is wrapped to patch `exit` on first use. Code that imports node:process
 * itself gets the same object, whose `exit` ends in `Deno.exit` (refused there as process.exit, with the
 * exit code it set cleared). Returns the undo.
 */
function refuseProcessExit(refuse: (code?: number) => never): () => void {
  const global = globalThis as unknown as { process?: ProcessLike };
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, "process");
  let patched: { target: ProcessLike; exit: ProcessLike["exit"] } | undefined;
  const patch = (target: ProcessLike | undefined) => {
    if (target && !patched) {
      patched = { target, exit: target.exit };
      target.exit = refuse;
    }
    return target;
  };
  if (descriptor?.get && descriptor.configurable) {
    const get = descriptor.get;
    Object.defineProperty(globalThis, "process", {
      ...descriptor,
      get: () => patch(get.call(globalThis)),
    });
  } else patch(global.process);
  return () => {
    if (descriptor?.get && descriptor.configurable) Object.defineProperty(globalThis, "process", descriptor);
    if (patched) patched.target.exit = patched.exit;
  };
}

/**
 * One run's guard: install before the run starts, `race` the runner against it, uninstall at the end.
 *
 * @example
 * ```ts
 * const guard = RunGuard.install();
 * try {
 *   await guard.race(runner.run(pipeline, catalog, options));
 * } finally {
 *   guard.uninstall();
 * }
 * ```
 */
export class RunGuard {
  #failure: KmlfError | undefined;
  #signals = 0;
  #fail: (error: KmlfError) => void = () => {};
  readonly #failed: Promise<never>;
  readonly #abort = new AbortController();
  readonly #exit = Deno.exit;
  // The main thread's `close()` (window compatibility) ends the process with exit code 0 through Deno's
  // internal exit, not `Deno.exit`: a node calling it ended the run as a success, its hooks never run.
  readonly #close = Object.getOwnPropertyDescriptor(globalThis, "close");
  #restoreProcessExit: () => void = () => {};
  readonly #signalListeners = new Map<Deno.Signal, () => void>();
  #watchdog: SignalWatchdog | undefined;
  readonly #refusals = new WeakSet<object>();
  readonly #onError = (event: ErrorEvent) => {
    event.preventDefault();
    if (this.#refusals.has(event.error)) return this.#stop(event.error);
    this.#record(
      new RunError(
        "run/uncaught-error",
        `An error was thrown outside any node's await: ${describe(event.error)}`,
        {
          cause: event.error,
          hint: "an error thrown in a timer or callback cannot fail its node; await the work inside the node",
        },
      ),
    );
  };
  readonly #onRejection = (event: PromiseRejectionEvent) => {
    event.preventDefault();
    if (this.#refusals.has(event.reason)) return this.#stop(event.reason);
    this.#record(
      new RunError(
        "run/unhandled-rejection",
        `A promise was rejected while nothing awaited it: ${describe(event.reason)}`,
        {
          cause: event.reason,
          hint: "await (or return) every promise a node starts, so its failure fails the node",
        },
      ),
    );
  };

  private constructor() {
    this.#failed = new Promise<never>((_, reject) => {
      this.#fail = reject;
    });
    this.#failed.catch(() => {}); // observed through race()/throwIfFailed()
  }

  /**
   * Starts guarding: exits are refused, stray errors and signals are recorded as the run's failure. A
   * `watchdog` is told of each signal the main thread takes (it acts only on those it does not), kept
   * described ({@link describeStop}) and stopped at the end.
   */
  static install(options: { watchdog?: SignalWatchdog } = {}): RunGuard {
    const guard = new RunGuard();
    if (!unloadCleanup) {
      unloadCleanup = true;
      globalThis.addEventListener("unload", () => removeTempFilesInFlight());
    }
    // `at` is captured above kmlf's frames, so the error shows the user's line that called exit (needed
    // when no node is named: a node that swallowed the refusal, a timer).
    const refuseExit = (how: string) =>
      function refuse(code?: number, at?: Error): never {
        if (!at) {
          at = new Error();
          Error.captureStackTrace(at, refuse);
        }
        at.message = `${how}(${code ?? ""}) called`;
        at.stack = `Error: ${at.message}${(at.stack ?? "").replace(/^Error[^\n]*/, "")}`;
        const error = new RunError(
          "run/exit-called",
          `${how}(${code ?? ""}) was called during the run`,
          {
            cause: at,
            userCode: true,
            hint:
              "return from the node (or throw an Error to fail it); kmlf ends the run and the process itself",
          },
        );
        // Thrown in the node, the refusal fails that node: the runner names it, lets the nodes still
        // running finish and says where to resume, so it is not raced here (under the thread runner that
        // lost the runner's error). Thrown outside any node (a timer), it reaches #onError and ends the run
        // at once; swallowed by a node, it fails the run when the run settles.
        if (!guard.#failure) guard.#failure = error;
        guard.#refusals.add(error);
        throw error;
      };
    const refuseDenoExit = refuseExit("Deno.exit");
    const refuseProcess = refuseExit("process.exit");
    const denoExit = (code?: number): never => {
      const at = new Error();
      Error.captureStackTrace(at, denoExit);
      // An imported node:process's exit (not the patched global's) lands here, having set exitCode.
      if (/\bprocess\.exit \(node:process:/.test(at.stack ?? "")) {
        (globalThis as unknown as { process: { exitCode?: number } }).process.exitCode = undefined;
        at.stack = at.stack?.replace(/\n\s+at [^\n]*\(node:process:[^\n]*/g, "");
        refuseProcess(code, at);
      }
      return refuseDenoExit(code, at);
    };
    Deno.exit = denoExit as typeof Deno.exit;
    if (guard.#close?.writable || guard.#close?.configurable) {
      const refuseClose = refuseExit("close");
      Object.defineProperty(globalThis, "close", {
        ...guard.#close,
        value: function close(): never {
          const at = new Error();
          Error.captureStackTrace(at, close);
          return refuseClose(undefined, at);
        },
      });
    }
    guard.#restoreProcessExit = refuseProcessExit(refuseProcess);
    globalThis.addEventListener("error", guard.#onError);
    globalThis.addEventListener("unhandledrejection", guard.#onRejection);
    for (const signal of SIGNALS) {
      const listener = () => guard.#takeSignal(signal);
      try {
        Deno.addSignalListener(signal, listener);
        guard.#signalListeners.set(signal, listener);
      } catch { /* signal not supported on this platform */ }
    }
    guard.#watchdog = options.watchdog;
    return guard;
  }

  /**
   * What the watchdog prints and records if it finds the main thread stuck (nothing without one, nor once
   * the main thread took a signal: the run ends through its hooks then).
   */
  describeStop(description: StopDescription): void {
    this.#watchdog?.describe(description);
  }

  /** Aborted when a failure is recorded, so the runner stops too (a parallel run's workers at once). */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** The first failure recorded (a refused exit, a stray error, a signal), if any. */
  get failure(): KmlfError | undefined {
    return this.#failure;
  }

  /** Throws the recorded failure, if any (between phases of the run). */
  throwIfFailed(): void {
    if (this.#failure) throw this.#failure;
  }

  /** `work`'s result, unless a failure is recorded first: then that failure (the work is abandoned). */
  race<T>(work: Promise<T>): Promise<T> {
    this.throwIfFailed();
    return Promise.race([work, this.#failed]);
  }

  /**
   * Lets pending rejections and errors of the work just finished surface (one macrotask), then throws
   * the recorded failure, if any.
   */
  async settle(): Promise<void> {
    await nextMacrotask();
    this.throwIfFailed();
  }

  /** Restores `Deno.exit`, `process.exit` and the default signal and error handling. */
  uninstall(): void {
    Deno.exit = this.#exit;
    if (this.#close) Object.defineProperty(globalThis, "close", this.#close);
    this.#restoreProcessExit();
    globalThis.removeEventListener("error", this.#onError);
    globalThis.removeEventListener("unhandledrejection", this.#onRejection);
    for (const [signal, listener] of this.#signalListeners) Deno.removeSignalListener(signal, listener);
    this.#signalListeners.clear();
    this.#watchdog?.stop();
    this.#watchdog = undefined;
  }

  #takeSignal(signal: "SIGINT" | "SIGTERM"): void {
    // First: the watchdog, which got the same Ctrl-C, must not stop a process that answers; but it still
    // stops one whose main thread is held while the hooks end the run (an interrupted node's code going
    // on into a long loop), on the next signal.
    this.#watchdog?.taken();
    if (this.#signals++ > 0) {
      // A second Ctrl-C: stop waiting for the hooks, and say what that leaves behind.
      removeTempFilesInFlight();
      stopNote(signal);
      this.#exit(128 + SIGNAL_NUMBER[signal]);
    }
    this.#record(new RunInterruptedError(signal));
  }

  #record(error: KmlfError): void {
    if (this.#failure) return;
    this.#failure = error;
    this.#stop(error);
  }

  // Fails the run and stops the runner: without the abort, the scheduler would go on starting nodes (and
  // saving their outputs) while the hooks end the run, and nothing would name the nodes it stopped.
  #stop(error: KmlfError): void {
    this.#fail(error);
    this.#abort.abort(error);
  }
}
