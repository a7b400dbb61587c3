/**
 * What the definitions of the `kmlf` command tree share: each command's module, imported lazily, and the
 * context their actions run in (the CLI's arguments and the exit code they set).
 */

// Command modules are imported by computed URLs: Deno reads, checks and resolves every module a literal
// `import()` reaches as soon as the importing module loads, so literal imports here made every command
// (even `--help`) read all of kmlf's ~300 modules first. Each is an entry point of the bundle
// (tests/cli/compiled_workers_test.ts checks).
/** Each command's module, imported on first use. */
export const modules = {
  artifacts: (): Promise<typeof import("./artifacts_command.ts")> =>
    import(new URL("./artifacts_command.ts", import.meta.url).href),
  catalog: (): Promise<typeof import("./catalog_command.ts")> =>
    import(new URL("./catalog_command.ts", import.meta.url).href),
  completion: (): Promise<typeof import("./completion_command.ts")> =>
    import(new URL("./completion_command.ts", import.meta.url).href),
  experiments: (): Promise<typeof import("./experiments_command.ts")> =>
    import(new URL("./experiments_command.ts", import.meta.url).href),
  export: (): Promise<typeof import("./export_command.ts")> =>
    import(new URL("./export_command.ts", import.meta.url).href),
  info: (): Promise<typeof import("./info_command.ts")> =>
    import(new URL("./info_command.ts", import.meta.url).href),
  mlflowInit: (): Promise<typeof import("./mlflow_init_command.ts")> =>
    import(new URL("./mlflow_init_command.ts", import.meta.url).href),
  mlflowRun: (): Promise<typeof import("./mlflow_run_command.ts")> =>
    import(new URL("./mlflow_run_command.ts", import.meta.url).href),
  mlflowUi: (): Promise<typeof import("./mlflow_ui_command.ts")> =>
    import(new URL("./mlflow_ui_command.ts", import.meta.url).href),
  modelify: (): Promise<typeof import("./modelify_command.ts")> =>
    import(new URL("./modelify_command.ts", import.meta.url).href),
  models: (): Promise<typeof import("./models_command.ts")> =>
    import(new URL("./models_command.ts", import.meta.url).href),
  modelsRegistry: (): Promise<typeof import("./models_registry_command.ts")> =>
    import(new URL("./models_registry_command.ts", import.meta.url).href),
  new: (): Promise<typeof import("./new_command.ts")> =>
    import(new URL("./new_command.ts", import.meta.url).href),
  pipeline: (): Promise<typeof import("./pipeline_command.ts")> =>
    import(new URL("./pipeline_command.ts", import.meta.url).href),
  registry: (): Promise<typeof import("./registry_command.ts")> =>
    import(new URL("./registry_command.ts", import.meta.url).href),
  runs: (): Promise<typeof import("./runs_command.ts")> =>
    import(new URL("./runs_command.ts", import.meta.url).href),
  run: (): Promise<typeof import("./run_command.ts")> =>
    import(new URL("./run_command.ts", import.meta.url).href),
  runConfigFile: (): Promise<typeof import("./run_config_file.ts")> =>
    import(new URL("./run_config_file.ts", import.meta.url).href),
  server: (): Promise<typeof import("./server_command.ts")> =>
    import(new URL("./server_command.ts", import.meta.url).href),
  terminal: (): Promise<typeof import("./terminal.ts")> =>
    import(new URL("./terminal.ts", import.meta.url).href),
};

/** What a command's action needs besides its options: the raw arguments and where its exit code goes. */
export interface CommandContext {
  /** The arguments `main` was given (recorded with runs, and for the Kedro-style flags). */
  argv: string[];
  /** The exit code `main` returns, set by the action that ran. */
  state: { exitCode: number };
}
