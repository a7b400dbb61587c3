/**
 * Hooks: Kedro's lifecycle hooks in camelCase, and the manager that calls them.
 *
 * @module
 */
export * from "./hook_spec.ts";
export {
  type Args as HookArgs,
  HookManager,
  type HookOrigin,
  type HooksRef,
  type ImportedHooks,
  importHooks,
  type Result as HookResult,
} from "./hook_manager.ts";
