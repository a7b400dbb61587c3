/**
 * A module imported on its first use instead of with its importer: code only a rare path needs (the wording
 * of a failed project import, lib/failed_import.ts) is not read by every command, and the first use pays
 * one import, once. Not for code a run needs anyway: an import in the middle of a run costs more than
 * loading the module with the command (the dataset codecs measured ~3 ms more, bench/README.md).
 *
 * @module
 */

/**
 * Imports a module once, on the first {@link DeferredModule.use}. Until it is loaded, `use` returns a
 * promise; after, it calls `fn` at once (no await, no extra promise), so hot paths lose nothing. Pass the
 * import by computed URL, which Deno does not read with the importing module (the bundle makes its target an
 * entry point: tools/build_bundle.ts).
 *
 * @example
 * ```ts
 * const codec = new DeferredModule<typeof import("./v8_codec.ts")>(() =>
 *   import(new URL("./v8_codec.ts", import.meta.url).href)
 * );
 * const bytes = await codec.use((m) => m.encodeV8({ a: 1 }));
 * ```
 */
export class DeferredModule<M> {
  #loaded: M | undefined;
  #loading: Promise<M> | undefined;
  readonly #importer: () => Promise<M>;

  constructor(importer: () => Promise<M>) {
    this.#importer = importer;
  }

  /** The module once an import finished, else undefined: `m.loaded ?? await m.load()` awaits only once. */
  get loaded(): M | undefined {
    return this.#loaded;
  }

  /** The module, imported on the first call (a failed import rejects every call the same way). */
  load(): Promise<M> {
    return this.#loading ??= this.#importer().then((module) => this.#loaded = module);
  }

  /**
   * `fn(module)`: called now once the module is loaded (its throw is thrown), else after the import (its
   * throw rejects the promise).
   */
  use<R>(fn: (module: M) => R): R | Promise<R> {
    return this.#loaded ? fn(this.#loaded) : this.load().then(fn) as Promise<R>;
  }
}
