// kmlf: the part of node:events commander uses (Command extends it), so that parsing arguments loads
// no Node built-in module; written by kmlf's tools/vendor_commander.ts.
export class EventEmitter {
  #listeners = new Map();

  on(event, listener) {
    const list = this.#listeners.get(event);
    if (list) list.push(listener);
    else this.#listeners.set(event, [listener]);
    return this;
  }

  emit(event, ...args) {
    const list = this.#listeners.get(event);
    if (!list || list.length === 0) return false;
    for (const listener of [...list]) listener.apply(this, args);
    return true;
  }

  listenerCount(event) {
    return this.#listeners.get(event)?.length ?? 0;
  }
}
