/**
 * An object whose async methods load their implementation on first call: a store's model registry and
 * `kmlf gc`'s deletes are part of its interface, but a tracked run uses neither, so their code (~35 KB of
 * SQL registry) is not read with the store.
 *
 * @module
 */

/** The keys of `T` whose values are functions returning a promise. */
type AsyncMethodNames<T> = {
  [K in keyof T]-?: T[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof T];

/**
 * `T` built from the implementation `load()` resolves to: each method in `methods` (every one of `T`'s:
 * the record's type makes the compiler check the list) loads it on first call — once, or again after a
 * failed load — and passes the call on. Errors of the implementation reach the caller as they would
 * directly (every method is async, so a thrown error is a rejection either way).
 *
 * @example
 * ```ts
 * const deletes = deferredMethods<HardDeletes>(
 *   async () => (await import("./sql/sql_hard_delete.ts")).sqlHardDeletes(engine),
 *   { deletedRuns: true, hardDeleteRun: true, hardDeleteExperiment: true },
 * );
 * await deletes.deletedRuns(); // loads sql_hard_delete.ts now
 * ```
 */
export function deferredMethods<T extends object>(
  load: () => Promise<T>,
  methods: Record<AsyncMethodNames<T>, true>,
): T {
  let loaded: Promise<T> | undefined;
  const implementation = (): Promise<T> => {
    loaded ??= load().catch((error) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
  const object: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of Object.keys(methods)) {
    object[name] = async (...args) => {
      const target = await implementation();
      return await (target[name as keyof T] as (...args: unknown[]) => Promise<unknown>).apply(target, args);
    };
  }
  return object as T;
}
