// Auto-refresh while something is RUNNING: one timer per page, re-armed after each tick finishes (no
// overlapping requests), stopped by `stop()` when the page goes away.

/** Milliseconds between refreshes of RUNNING runs. */
export const POLL_MS = 3000;

const active = new Set();

/** How many pollers have a timer pending (tests check that leaving a page leaves none). */
export function activePollers() {
  return active.size;
}

/**
 * A poller calling `tick()` every `intervalMs` while `wanted()` is true. `ensure()` arms it when it is
 * wanted and idle (call it after each render); `stop()` disposes it for good.
 * Timers are injectable for tests: `{setTimer, clearTimer}`.
 *
 * @param {{
 *   tick: () => unknown,
 *   wanted: () => boolean,
 *   intervalMs?: number,
 *   setTimer?: (fn: () => void, ms: number) => unknown,
 *   clearTimer?: (id: unknown) => void,
 * }} options
 */
export function createPoller(
  {
    tick,
    wanted,
    intervalMs = POLL_MS,
    setTimer = (fn, ms) => setTimeout(fn, ms),
    clearTimer = (id) => clearTimeout(id),
  },
) {
  let timer;
  let running = false;
  let stopped = false;
  const self = {
    ensure() {
      if (stopped || timer !== undefined || running || !wanted()) return;
      timer = setTimer(fire, intervalMs);
      active.add(self);
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimer(timer);
      timer = undefined;
      active.delete(self);
    },
    get pending() {
      return timer !== undefined;
    },
  };
  async function fire() {
    timer = undefined;
    active.delete(self);
    if (stopped) return;
    running = true;
    try {
      await tick();
    } catch {
      // A failed refresh is retried at the next tick; the page keeps what it shows.
    } finally {
      running = false;
    }
    self.ensure();
  }
  return self;
}
