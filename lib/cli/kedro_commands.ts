/**
 * Kedro (and Kedro plugin) commands kmlf does not have, with what to do instead: typed out of habit they get
 * `cli/not-in-kmlf` naming kmlf's way, not commander's bare "unknown command".
 */

/** What kmlf says about a Kedro command it lacks: why, and what to use instead. */
export interface MissingKedroCommand {
  message: string;
  hint: string;
}

const SCRIPT_HINT =
  'in a script or Deno\'s Jupyter kernel (`deno jupyter --install`): `import { KmlfSession } from "kmlf"`, ' +
  '`const session = await KmlfSession.create({ projectRoot: "." })`, then `(await session.catalog()).load("name")` ' +
  'or `session.run({ pipelineNames: ["training"] })`';

const MISSING: Readonly<Record<string, MissingKedroCommand>> = {
  jupyter: {
    message: "kmlf has no `kedro jupyter`: nodes are TypeScript, there is no Python kernel",
    hint: SCRIPT_HINT,
  },
  ipython: {
    message: "kmlf has no `kedro ipython`: nodes are TypeScript, there is no Python shell",
    hint: SCRIPT_HINT,
  },
  package: {
    message: "kmlf has no `kedro package`: a kmlf project is not built into a Python wheel",
    hint:
      "ship the project folder and run it with an installed kmlf (`deno task install`) or the single binary " +
      "(`deno task compile`); `kmlf run --conf-source conf.tar.gz` reads packed configuration as Kedro's does",
  },
  starter: {
    message: "kmlf has no `kedro starter`: it has one project template",
    hint: "`kmlf new <dir>` writes the iris example; `kmlf new <dir> --no-example` an empty project",
  },
  viz: {
    message: "kmlf has no kedro-viz",
    hint:
      "`kmlf registry describe <pipeline>` lists a pipeline's nodes in run order; `kmlf mlflow ui` shows its runs",
  },
  airflow: {
    message: "kmlf has no `kedro airflow`: kedro-airflow's `create` is `kmlf export airflow`",
    hint: '`kmlf export airflow -p <pipeline> -o dags/<name>.py` (see README "Scaling out")',
  },
  docker: {
    message: "kmlf has no kedro-docker",
    hint:
      'build an image with Deno and the project, then `kmlf export argo --image <image>` (see README "Scaling out")',
  },
  lint: { message: "kmlf has no `kedro lint`", hint: "run `deno lint` and `deno fmt` in the project" },
  test: {
    message: "kmlf has no `kedro test`",
    hint: "run `deno test -A` in the project (`kmlf pipeline create` writes a test)",
  },
};

/**
 * What to say when `name` is a Kedro command kmlf lacks, or undefined for any other unknown command.
 *
 * @example
 * ```ts
 * missingKedroCommand("jupyter")?.message; // "kmlf has no `kedro jupyter`: …"
 * ```
 */
export function missingKedroCommand(name: string): MissingKedroCommand | undefined {
  return Object.hasOwn(MISSING, name) ? MISSING[name] : undefined;
}
