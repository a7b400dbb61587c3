/**
 * Entry module of the signal watchdog's worker (signal_watchdog.ts). It listens for SIGINT/SIGTERM on its
 * own thread, which a node stuck in a synchronous loop on the main thread cannot hold: each signal is
 * passed to the main thread, which answers by raising a shared counter. When no answer comes within the
 * grace period, the main thread is stuck: the worker prints what the main thread last described (the
 * stopped nodes, how to resume), writes the stop record, and ends the process by the signal itself (its
 * listener removed, the signal's default action applies: the shell sees 130 / 143). Imports only the
 * shared layout, so it boots as fast as a worker can. An entry point of the bundle (tools/build_bundle.ts).
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { WATCHDOG_SLOTS, type WatchdogStart } from "./signal_watchdog_layout.ts";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;
type Signal = typeof SIGNALS[number];

function start({ shared, graceMs, textOffset }: WatchdogStart): void {
  const slots = new Int32Array(shared, 0, WATCHDOG_SLOTS.count);
  const text = new Uint8Array(shared, textOffset);
  const listeners = new Map<Signal, () => void>();
  const stop = (signal: Signal) => {
    // A copy: TextDecoder refuses views of shared memory.
    const payload = JSON.parse(
      new TextDecoder().decode(text.slice(0, Atomics.load(slots, WATCHDOG_SLOTS.textLength))) || "{}",
    ) as { message?: string; record?: string };
    try {
      if (payload.message) {
        Deno.stderr.writeSync(
          new TextEncoder().encode(`${payload.message.replaceAll("{signal}", signal)}\n`),
        );
      }
    } catch { /* stderr is gone: nothing to say it on */ }
    if (payload.record) {
      try {
        Deno.mkdirSync(payload.record.slice(0, payload.record.lastIndexOf("/")), { recursive: true });
        Deno.writeTextFileSync(payload.record, `${signal}\n`);
      } catch { /* a read-only project only loses the record */ }
    }
    for (const [s, listener] of listeners) Deno.removeSignalListener(s, listener);
    // Still alive by then: another listener (user code's Deno.addSignalListener) caught the signal.
    setTimeout(() => Deno.kill(Deno.pid, "SIGKILL"), 500);
    // With no listener left in the process, the signal's default action ends it (Deno restores it).
    if (Atomics.load(slots, WATCHDOG_SLOTS.mainListening) === 0) {
      try {
        Deno.kill(Deno.pid, signal);
      } catch { /* the SIGKILL above ends it */ }
    }
  };
  for (const signal of SIGNALS) {
    const listener = () => {
      const seen = Atomics.add(slots, WATCHDOG_SLOTS.seen, 1) + 1;
      self.postMessage({ signal, seen });
      // Blocks this worker only; the main thread raises `answered` when it takes the signal.
      const deadline = performance.now() + graceMs;
      for (;;) {
        const answered = Atomics.load(slots, WATCHDOG_SLOTS.answered);
        if (answered >= seen) return;
        const left = deadline - performance.now();
        if (left <= 0) return stop(signal);
        Atomics.wait(slots, WATCHDOG_SLOTS.answered, answered, left);
      }
    };
    Deno.addSignalListener(signal, listener);
    listeners.set(signal, listener);
  }
  Atomics.store(slots, WATCHDOG_SLOTS.ready, 1);
  Atomics.notify(slots, WATCHDOG_SLOTS.ready);
  self.postMessage({ ready: true });
}

self.onmessage = (event: MessageEvent<WatchdogStart>) => start(event.data);
