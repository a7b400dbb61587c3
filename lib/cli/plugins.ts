/** The plugins a kmlf binary ships with, registered through the same mechanism as any plugin. */
import type { Plugin } from "../session/mod.ts";

/**
 * Built-in plugins, in registration order.
 *
 * @example
 * ```ts
 * const plugins = builtinPlugins();
 * ```
 */
export function builtinPlugins(): Plugin[] {
  return [];
}
