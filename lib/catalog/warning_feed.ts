/** A catalog's warnings as they come: the list `Catalog.warnings` is, and who is told of each new one. */
import type { KmlfError } from "../errors.ts";
import type { CatalogWarning } from "./catalog_options.ts";
import type { EntryContext } from "./entry_context.ts";

/**
 * The warnings of one catalog and their listeners; {@link entryNotes} is the `warn` an entry's build gets.
 *
 * @example
 * ```ts
 * const feed = new WarningFeed();
 * feed.subscribe((w) => console.warn(w.name));
 * feed.add({ name: "cars", problems: [note], note: "built and used as is" });
 * ```
 */
export class WarningFeed {
  /** Every warning so far, in the order they came (the catalog sorts its declared entries' ones). */
  readonly list: CatalogWarning[] = [];
  readonly #listeners = new Set<(warning: CatalogWarning) => void>();
  readonly #late = new Set<string>();

  /** Calls `listener` with each warning added from now on; returns the function that stops it. */
  subscribe(listener: (warning: CatalogWarning) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Adds a warning and tells the listeners. */
  add(warning: CatalogWarning): void {
    this.list.push(warning);
    for (const listener of this.#listeners) listener(warning);
  }

  /**
   * The `warn` of the build of entry `name`, and `built()` to call once it is built: notes given while it
   * builds become one warning then. A dataset built again later (a partition's, per partition it loads or
   * saves) repeats them: dropped. A note given after a factory returned (a dataset's load or save) is a
   * warning of its own at once, the first time that text is given for the entry.
   */
  entryNotes(name: string): { warn: NonNullable<EntryContext["warn"]>; built(): void } {
    const notes: KmlfError[] = [];
    let building = true;
    return {
      warn: (note, { late = false } = {}) => {
        if (!late) return void (building && notes.push(note));
        const key = JSON.stringify([name, note.code, note.message, note.source]);
        if (this.#late.has(key)) return;
        this.#late.add(key);
        this.add({ name, problems: [note], note: "given by its dataset after the entry was built" });
      },
      built: () => {
        building = false;
        if (notes.length > 0) this.add({ name, problems: notes, note: "built and used as is" });
      },
    };
  }
}
