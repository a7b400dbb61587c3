/**
 * Timer delays from users' timeouts. `setTimeout` keeps its delay as a 32-bit signed count of milliseconds
 * and turns a longer one into 1 ms (printing a TimeoutOverflowWarning), so a timeout of 35 days would fire at
 * once: a delay past the limit waits the longest a timer can, ~24.8 days, which no one sees end.
 *
 * @module
 */

/** The longest delay `setTimeout` keeps: 2³¹ − 1 ms (~24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * `ms` as a delay `setTimeout` keeps: longer ones become {@link MAX_TIMER_MS}.
 *
 * @example
 * ```ts
 * setTimeout(onTimeout, timerDelay(3_000_000 * 1000)); // waits ~24.8 days, not 1 ms
 * ```
 */
export function timerDelay(ms: number): number {
  return Math.min(ms, MAX_TIMER_MS);
}
