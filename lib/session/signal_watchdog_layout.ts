/**
 * The memory the signal watchdog's worker shares with the main thread (signal_watchdog.ts): a few Int32
 * slots, then the UTF-8 JSON the main thread keeps up to date (what to print when it is found stuck).
 *
 * @module
 */

/** How long the main thread may take to answer a signal before it is deemed stuck. */
export const WATCHDOG_GRACE_MS = 1000;

/** Int32 slot indices of the shared memory. */
export const WATCHDOG_SLOTS = {
  /** 1 once the worker listens for the signals. */
  ready: 0,
  /** 1 while the main thread still has signal listeners of its own (they would swallow a re-raised signal). */
  mainListening: 1,
  /** Signals the worker has received. */
  seen: 2,
  /** Signals the main thread has taken (it is not stuck while this keeps up with `seen`). */
  answered: 3,
  /** Bytes of JSON after the slots. */
  textLength: 4,
  count: 8,
} as const;

/** What the main thread posts to start the worker. */
export interface WatchdogStart {
  shared: SharedArrayBuffer;
  /** How long the main thread may take to answer a signal before it is deemed stuck. */
  graceMs: number;
  /** Where the JSON starts, in bytes. */
  textOffset: number;
}
