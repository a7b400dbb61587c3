/**
 * Ctrl-C / SIGTERM during a parallel run: abort the run (its workers stop at once) instead of letting the
 * process die mid-save (the tracking hook, listening too, ends the MLflow run KILLED). Only for runs whose
 * main thread stays free (the parallel runner): a listener would delay Ctrl-C until a CPU-bound node on
 * the main thread returns.
 */

/** The abort signal of one run, and the exit code its interruption maps to (128 + signal number). */
export interface RunInterrupt {
  signal: AbortSignal;
  exitCode(): number;
  dispose(): void;
}

const CODES: Partial<Record<Deno.Signal, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Listens for SIGINT/SIGTERM until `dispose()`.
 *
 * @example
 * ```ts
 * const interrupt = interruptOnSignals();
 * try { await session.run({ signal: interrupt.signal }); } finally { interrupt.dispose(); }
 * ```
 */
export function interruptOnSignals(): RunInterrupt {
  const controller = new AbortController();
  let received: Deno.Signal | undefined;
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  const listeners = signals.map((name) => {
    const listener = () => {
      received ??= name;
      controller.abort(name);
    };
    Deno.addSignalListener(name, listener);
    return [name, listener] as const;
  });
  return {
    signal: controller.signal,
    exitCode: () => CODES[received ?? "SIGINT"] ?? 130,
    dispose: () => {
      for (const [name, listener] of listeners) Deno.removeSignalListener(name, listener);
    },
  };
}
