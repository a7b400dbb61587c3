/**
 * The files every `kmlf new` project gets besides its pipelines: deno.json (the import map that
 * resolves "kmlf" and the npm packages kmlf ships, so editors, `deno check` and `deno test` work),
 * a README saying how to run, track and view, and a .gitignore for what runs produce.
 */

/**
 * The project's deno.json. `kmlfRoot` is kmlf's source folder (undefined for a compiled binary, whose
 * sources are not on disk: then only the npm packages are mapped). The scope for kmlf's folder keeps
 * kmlf on its own package versions whatever the project pins at the top level.
 *
 * @example
 * ```ts
 * projectDenoJson({ "js-yaml": "npm:js-yaml@4.1.0" }, new URL("file:///opt/kmlf/"));
 * ```
 */
export function projectDenoJson(kmlfPackages: Record<string, string>, kmlfRoot: URL | undefined): string {
  const packages = Object.fromEntries(Object.entries(kmlfPackages).filter(([name]) => name !== "kmlf"));
  const config = {
    imports: kmlfRoot ? { kmlf: new URL("mod.ts", kmlfRoot).href, ...packages } : packages,
    ...(kmlfRoot ? { scopes: { [kmlfRoot.href]: packages } } : {}),
    tasks: { test: "deno test --allow-all --permit-no-files" },
    // The width kmlf writes the project's files at: a fresh project passes `deno fmt --check`.
    fmt: { lineWidth: 110 },
    exclude: ["data/", "mlartifacts/", "mlruns/", ".kmlf/"],
  };
  return JSON.stringify(config, null, 2) + "\n";
}

/**
 * The project's .gitignore: like Kedro's, data other than the raw inputs, local configuration and
 * secrets, the tracking store and kmlf's working files stay out of git; deno.lock is committed.
 *
 * @example
 * ```ts
 * PROJECT_GITIGNORE.includes("/mlflow.db"); // true
 * ```
 */
export const PROJECT_GITIGNORE = `# Data: the raw inputs are versioned, everything else is recreated by the pipelines
data/**
!data/**/
!data/01_raw/**
!.gitkeep

# Local configuration and secrets (conf/local/credentials.yml)
conf/local/**
!conf/local/.gitkeep

# Tracking: the SQLite store, MLflow's file store and the logged artifacts
/mlflow.db
/mlflow.db-*
/mlruns/
/mlartifacts/

# kmlf's working files and npm folders
.kmlf/
node_modules/
`;

/**
 * The project's README.
 *
 * @example
 * ```ts
 * projectReadme("churn", { example: true });
 * ```
 */
export function projectReadme(name: string, options: { example: boolean }): string {
  const run = options.example
    ? `\`\`\`sh
kmlf run training                 # split → train → predict → evaluate, tracked in mlflow.db
kmlf run inference                # predict the species of data/01_raw/instances.csv
kmlf run training --params model.learning_rate=0.05,model.n_iter=500
kmlf registry describe training   # the nodes of a pipeline, in run order
\`\`\`

The example pipelines are the iris classifier: \`pipelines/training.yml\` and \`pipelines/inference.yml\` wire the
functions of \`pipelines/iris/nodes.ts\` to the datasets of \`conf/base/catalog.yml\`.`
    : `\`\`\`sh
kmlf pipeline create my_pipeline   # pipelines/my_pipeline.yml, its nodes, a test, its parameters
kmlf run my_pipeline
kmlf registry list                 # the pipelines of this project
\`\`\``;
  // Wrapped as `deno fmt` wraps it at the project's lineWidth (110): a new project passes `deno fmt --check`.
  const tracked = options.example
    ? `With \`conf/base/mlflow.yml\`, every \`kmlf run\` is recorded in \`mlflow.db\`: parameters, metrics, node durations,
artifacts and the pipeline's graph. To browse the runs:`
    : `With \`conf/base/mlflow.yml\` (write it with \`kmlf mlflow init --env=base\`), every \`kmlf run\` is recorded in
\`mlflow.db\`: parameters, metrics, node durations, artifacts and the pipeline's graph. To browse the runs:`;
  return `# ${name}

A kmlf project: Kedro-style pipelines whose nodes are TypeScript functions, with MLflow-compatible run
tracking.

## Run

${run}

\`kmlf run --help\` lists the filters (\`--nodes\`, \`--tags\`, \`--from-nodes\`, …); \`kmlf pipeline create <name>\`
adds a pipeline.

## Track and view

${tracked}

\`\`\`sh
kmlf mlflow ui --port 5002         # then open the address it prints
\`\`\`

The same store opens in MLflow itself (\`mlflow ui --backend-store-uri sqlite:///mlflow.db\`), and scripts read
it with \`import { MlflowClient } from "kmlf"\`.

## Where things go

| path                                  | what                                                                 |
| ------------------------------------- | -------------------------------------------------------------------- |
| \`kmlf.yml\`                            | project settings: name, default env, hooks, plugins                  |
| \`conf/base/\`                          | shared configuration: \`catalog.yml\`, \`parameters*.yml\`, \`mlflow.yml\` |
| \`conf/local/\`                         | this machine's overrides and \`credentials.yml\` (not committed)       |
| \`pipelines/<name>.yml\`                | one pipeline per file: nodes, their inputs and outputs               |
| \`pipelines/<name>/nodes.ts\`           | the node functions                                                   |
| \`tests/\`                              | tests of the nodes (\`deno task test\`)                                |
| \`data/01_raw/\` … \`data/08_reporting/\` | inputs and what the pipelines write (only \`01_raw\` is committed)     |
| \`mlflow.db\`, \`mlartifacts/\`           | tracked runs and their artifacts (not committed)                     |
| \`deno.json\`, \`deno.lock\`              | imports (\`"kmlf"\`, npm packages) and their lockfile (committed)      |

## Code, types and dependencies

Node functions are plain TypeScript. Types come from kmlf: \`import type { Hooks, Dataset } from "kmlf"\`.
\`deno check pipelines/\` type-checks the nodes and \`deno task test\` runs the tests.

The npm packages kmlf ships (js-yaml, zod, csv-parse, …) are mapped in \`deno.json\`. To use another one,
\`deno add npm:<package>\`: it goes into this project's \`deno.json\` and \`deno.lock\`, and \`kmlf run\` uses them.
`;
}
