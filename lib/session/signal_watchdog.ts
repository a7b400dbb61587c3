/**
 * Ctrl-C for a node stuck in a synchronous loop. Under the sequential and thread runners node functions run
 * on the main thread; one that never returns (`while (true) {}`, a long computation) holds the event loop,
 * so the run guard's signal listeners never run. A worker's do: Deno delivers a signal to every isolate
 * listening for it, and a worker has its own thread. The watchdog worker passes each signal to the main
 * thread and, when no answer comes within a second, prints what the main thread last described (which
 * nodes were stopped, how to resume) and ends the process by the signal (exit 130 / 143).
 *
 * Costs: `new Worker` blocks its caller until the worker's isolate exists, 15–25 ms on a loaded 2-core
 * machine, and a worker cannot be started once the main thread is stuck. So the watchdog starts with the
 * run, and only where someone can press Ctrl-C: a terminal on stdin or stderr (session_run.ts decides;
 * a script's or benchmark's kmlf pays nothing). Signals are taken on the main thread as before until the worker listens; then the
 * main thread's own listeners are removed, since any listener left would swallow the re-raised signal.
 *
 * @module
 */
import { WATCHDOG_GRACE_MS, WATCHDOG_SLOTS, type WatchdogStart } from "./signal_watchdog_layout.ts";
const TEXT_BYTES = 16 * 1024;
const TEXT_OFFSET = WATCHDOG_SLOTS.count * 4;
const encoder = new TextEncoder();

/** What the worker prints and writes when it stops the process (`{signal}` names the signal). */
export interface StopDescription {
  message: string;
  /** A file to write the signal's name into: the record that this process was stopped by force. */
  record?: string;
}

/**
 * The main thread's side of the watchdog worker.
 *
 * @example
 * ```ts
 * const watchdog = SignalWatchdog.start();
 * watchdog.onSignal = (signal) => console.error(signal);
 * watchdog.describe({ message: "Run interrupted by {signal}" });
 * watchdog.stop();
 * ```
 */
export class SignalWatchdog {
  /** Called on the main thread for each signal the worker received. */
  onSignal: (signal: "SIGINT" | "SIGTERM") => void = () => {};
  /** Called on the main thread once the worker listens. */
  onReady: () => void = () => {};
  readonly #worker: Worker;
  readonly #slots: Int32Array;
  readonly #text: Uint8Array;

  private constructor() {
    const shared = new SharedArrayBuffer(TEXT_OFFSET + TEXT_BYTES);
    this.#slots = new Int32Array(shared, 0, WATCHDOG_SLOTS.count);
    this.#text = new Uint8Array(shared, TEXT_OFFSET);
    Atomics.store(this.#slots, WATCHDOG_SLOTS.mainListening, 1);
    this.#worker = new Worker(new URL("./signal_watchdog_worker.ts", import.meta.url), {
      type: "module",
      name: "kmlf-signal-watchdog",
    });
    this.#worker.onmessage = (event: MessageEvent<{ signal?: "SIGINT" | "SIGTERM"; seen?: number }>) => {
      const { signal, seen } = event.data;
      if (signal && seen) {
        // Answered first: the main thread is evidently not stuck, whatever taking the signal costs.
        Atomics.store(this.#slots, WATCHDOG_SLOTS.answered, seen);
        Atomics.notify(this.#slots, WATCHDOG_SLOTS.answered);
        this.onSignal(signal);
      } else this.onReady();
    };
    const start: WatchdogStart = { shared, graceMs: WATCHDOG_GRACE_MS, textOffset: TEXT_OFFSET };
    this.#worker.postMessage(start);
  }

  /** Starts the worker (it boots on its own thread; {@link ready} says when it listens). */
  static start(): SignalWatchdog {
    return new SignalWatchdog();
  }

  /** Whether the worker listens for the signals yet. */
  get ready(): boolean {
    return Atomics.load(this.#slots, WATCHDOG_SLOTS.ready) === 1;
  }

  /** Waits (blocking the main thread) up to `ms` for the worker to listen; whether it does. */
  waitReady(ms: number): boolean {
    Atomics.wait(this.#slots, WATCHDOG_SLOTS.ready, 0, ms);
    return this.ready;
  }

  /** Tells the worker whether the main thread has signal listeners of its own. */
  set mainListening(listening: boolean) {
    Atomics.store(this.#slots, WATCHDOG_SLOTS.mainListening, listening ? 1 : 0);
  }

  /** What to print (and record) if the main thread is found stuck from now on. */
  describe(description: StopDescription): void {
    let bytes = encoder.encode(JSON.stringify(description));
    if (bytes.length > TEXT_BYTES) {
      const message = `${description.message.slice(0, TEXT_BYTES / 8)}…`;
      bytes = encoder.encode(JSON.stringify({ ...description, message }));
    }
    // Length 0 while the text changes: a worker reading now prints nothing rather than half a message.
    Atomics.store(this.#slots, WATCHDOG_SLOTS.textLength, 0);
    this.#text.set(bytes);
    Atomics.store(this.#slots, WATCHDOG_SLOTS.textLength, bytes.length);
  }

  /** Ends the worker (the process no longer needs it, and it would keep the process alive). */
  stop(): void {
    this.#worker.terminate();
  }
}
