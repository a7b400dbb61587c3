/**
 * Hooks: Kedro's lifecycle hooks in camelCase, and the manager that calls them.
 *
 * @module
 */
export * from "./hook_spec.ts";
export {
  HookManager,
  type HookOrigin,
  type HooksRef,
  type ImportedHooks,
  importHooks,
} from "./hook_manager.ts";
