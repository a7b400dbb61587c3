/**
 * `kmlf models predict` (batch) and `kmlf models serve` (MLflow's scoring server) for models logged by
 * kmlf. Model URIs resolve through the project's tracking store (mlflow.yml) or `MLFLOW_TRACKING_URI`.
 */
import { extname, join } from "../path.ts";
import { UsageError } from "../errors.ts";
// Static: one module graph for the command. Each further dynamic import is a graph Deno loads on its own,
// which cost `kmlf models serve` ~20 ms each even for modules it had loaded already.
import {
  jsonablePredictions,
  type KmlfModel,
  loadModelDir,
  locateModel,
  modelPins,
  parseScoringBody,
  predictionsBody,
  ScoringError,
  scoringHandler,
  unmetPins,
} from "../models/mod.ts";
import { startServer } from "../server/serve.ts";
import { loopbackHostsFor } from "../server/server_options.ts";
import { ALLOWED_HOSTS_ENV, allowedHostsFor } from "../allowed_hosts.ts";
import { CORS_ORIGINS_ENV, corsOriginsFrom } from "../cross_origin.ts";
import { parseModelUri } from "../tracking/models/model_uri.ts";
import { openStore } from "../tracking/stores/open_store.ts";
import { parseTrackingUri } from "../tracking/stores/tracking_uri.ts";
import { EXIT, reportError } from "./exit_codes.ts";
import { refuseMissingStore, storeLocation } from "./cli_store.ts";
import { parsePort } from "./serve_tracking.ts";
import { err, out, style } from "./terminal.ts";
import { readFile } from "../file_io.ts";
import { parsePythonJson } from "../py_json_parse.ts";
import { writeOutputFile } from "./output_file.ts";
import type { MlflowModelsFlags } from "./mlflow_models_flags.ts";
import { checkMlflowModelsFlags } from "./mlflow_models_check.ts";
import { inheritedModel, type LocatedModel } from "./located_model.ts";

/** Options of `kmlf models predict`. */
export interface PredictOptions extends MlflowModelsFlags {
  modelUri: string;
  /** The input file; absent or `-` reads stdin, as `mlflow models predict`. */
  inputPath?: string;
  outputPath?: string;
  contentType?: string;
  env?: string;
  project?: string;
  debug?: boolean;
  /** The command line as given, to run it again in the model's environment (`model_environment.ts`). */
  argv?: readonly string[];
}

/** Options of `kmlf models serve`. */
export interface ServeOptions extends MlflowModelsFlags {
  modelUri: string;
  /** Default: `$MLFLOW_HOST`, else 127.0.0.1 (as `mlflow models serve`). */
  host?: string;
  /** Default: `$MLFLOW_PORT`, else 5001. */
  port?: string;
  maxBodySize?: string;
  timeout?: string;
  /** Comma-separated origins whose pages may POST (`--cors-allowed-origins`); default: localhost ones. */
  corsAllowedOrigins?: string;
  env?: string;
  project?: string;
  debug?: boolean;
  /** The command line as given, to run it again in the model's environment (`model_environment.ts`). */
  argv?: readonly string[];
  /** Tests: learn the URL, stop with a signal. */
  onListening?(url: string): void;
  signal?: AbortSignal;
}

// Returns the model, or the exit code of the kmlf that ran
// the command in the model's environment (its pins, when this process does not give them: see
// model_environment.ts). `stdin` is the input already read, for that kmlf.
async function openModel(
  options: PredictOptions | ServeOptions,
  stdin?: Uint8Array,
): Promise<{ model: KmlfModel; exitCode?: undefined } | { exitCode: number }> {
  // In the model's environment: the folder the launching kmlf located (and checked the pins of).
  const inherited = inheritedModel(options.modelUri);
  const located = inherited ?? await locate(options);
  // MLflow's default restores the model's environment; `local` (or --no-conda) predicts in this process.
  const local = options.envManager === "local" || options.conda === false;
  const unmet = local ? [] : await unmetPins(located.dir);
  if (unmet.length > 0) {
    const { runInModelEnvironment }: typeof import("./model_environment.ts") = await import(
      new URL("./model_environment.ts", import.meta.url).href
    );
    const pins = await modelPins(located.dir);
    const code = await runInModelEnvironment(options.argv ?? Deno.args, located, pins, unmet, stdin);
    if (code !== undefined) return { exitCode: code };
  }
  const model = await loadModelDir(located.dir, {
    origin: located.origin,
    pinsGiven: inherited !== undefined,
  });
  for (const note of model.notes ?? []) {
    err(style.yellow(
      `Note: ${note}: predictions may differ from the logged model's (${
        local ? "leave out --env-manager local to predict with the model's own packages, or " : ""
      }map that version in the project's deno.json to match it)`,
    ));
  }
  return { model };
}

// Opens the store only when the URI needs one.
async function locate(options: PredictOptions | ServeOptions): Promise<LocatedModel> {
  const where = await storeLocation(options);
  const parsed = parseModelUri(options.modelUri, { baseDir: Deno.cwd() });
  // Reading a model never creates a store: a mistyped store URI is an error naming it.
  if (parsed.kind !== "local") refuseMissingStore(parseTrackingUri(where.uri, where), where.source);
  const store = parsed.kind === "local" ? undefined : await openStore(where.uri, { baseDir: where.baseDir });
  try {
    return await locateModel(options.modelUri, { store, baseDir: Deno.cwd() });
  } finally {
    await store?.close();
  }
}

/**
 * Predicts a CSV or JSON file (MLflow's scoring formats, or a list of records) and writes
 * `{"predictions": …}` as JSON, or CSV rows when the output file ends in `.csv`.
 *
 * @example
 * ```ts
 * await modelsPredict({ modelUri: "runs:/…/model", inputPath: "data/01_raw/instances.csv" });
 * ```
 */
export async function modelsPredict(options: PredictOptions): Promise<number> {
  try {
    checkMlflowModelsFlags(options);
    const fromStdin = options.inputPath === undefined || options.inputPath === "-";
    const inputName = fromStdin ? "standard input" : `--input-path ${options.inputPath}`;
    const kind = contentTypeOf(options.contentType, fromStdin ? "" : options.inputPath!);
    // As `mlflow models predict`: no --input-path (or -) reads the input from stdin.
    const bytes = fromStdin ? await readStdin() : await readFile(options.inputPath!).catch((cause) => {
      throw new UsageError("cli/input-unreadable", `Cannot read --input-path ${options.inputPath}`, {
        hint:
          'pass a CSV file with a header line, or a JSON file ({"dataframe_split": …} or a list of records)',
        cause,
      });
    });
    const text = utf8Text(bytes, inputName);
    const list = kind === "json" && Array.isArray(checkJson(text, inputName));
    const opened = await openModel(options, fromStdin ? bytes : undefined);
    if (opened.exitCode !== undefined) return opened.exitCode;
    const { model } = opened;
    // A list of records is wrapped as it is written (NaN tokens included).
    const body = list ? `{"dataframe_records": ${text}}` : text;
    const fix = (error: unknown) => {
      throw inputProblem(error, inputName, model, list ? undefined : checkJsonShape(text, kind));
    };
    const input = await parseScoringBody(body, kind, model.signature?.inputs).catch(fix);
    const predictions = await model.predict(input.data, input.params, input.columns, input.quote).catch(fix);
    const result = options.outputPath?.toLowerCase().endsWith(".csv")
      ? await toCsv(jsonablePredictions(predictions))
      : predictionsBody(predictions) + "\n";
    if (options.outputPath) {
      await writeOutputFile("--output-path", options.outputPath, result);
    } else await Deno.stdout.write(new TextEncoder().encode(result));
    return EXIT.ok;
  } catch (error) {
    return await reportModelError(error, options.debug);
  }
}

/**
 * Serves a model with MLflow's scoring protocol until Ctrl-C.
 *
 * @example
 * ```ts
 * await modelsServe({ modelUri: "runs:/…/model", host: "127.0.0.1", port: "5001" });
 * ```
 */
export async function modelsServe(options: ServeOptions): Promise<number> {
  checkMlflowModelsFlags(options);
  // A flag, else the variable `mlflow models serve` reads for it (click reads an empty one as unset).
  const env = (name: string) => Deno.env.get(name) || undefined;
  const port = options.port !== undefined
    ? parsePort(options.port, "--port")
    : parsePort(env("MLFLOW_PORT") ?? 5001, "--port", env("MLFLOW_PORT") ? "MLFLOW_PORT" : undefined);
  const host = options.host ?? env("MLFLOW_HOST") ?? "127.0.0.1";
  const timeoutFromEnv = options.timeout === undefined && env("MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT");
  const timeout = options.timeout ?? env("MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT");
  const maxBodyMb = Number(options.maxBodySize ?? 16);
  const timeoutS = Number(timeout ?? 60);
  if (!(maxBodyMb > 0)) {
    throw new UsageError(
      "cli/bad-option",
      `--max-body-size must be a positive number of MiB, got "${options.maxBodySize}"`,
      { hint: "e.g. --max-body-size 64" },
    );
  }
  if (!(timeoutS > 0)) {
    throw new UsageError(
      "cli/bad-option",
      `${timeoutFromEnv ? "MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT (for --timeout)" : "--timeout"} must be a ` +
        `positive number of seconds, got "${timeout}"`,
      { hint: "e.g. --timeout 30" },
    );
  }
  const opened = await openModel(options);
  if (opened.exitCode !== undefined) return opened.exitCode;
  const { model } = opened;
  const exposed = loopbackHostsFor(host) === undefined;
  const allowedHosts = allowedHostsFor(host, Deno.env.get(ALLOWED_HOSTS_ENV));
  const running = startServer(
    scoringHandler(model, {
      maxBodyBytes: maxBodyMb * 1024 * 1024,
      timeoutMs: timeoutS * 1000,
      allowedHosts,
      corsAllowedOrigins: corsOriginsFrom(options.corsAllowedOrigins ?? env(CORS_ORIGINS_ENV)),
    }),
    { hostname: host, port },
  );
  // Listening for Ctrl-C before saying "listening on", so a signal sent on that line stops cleanly.
  const stop = () => running.shutdown();
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, stop);
  options.signal?.addEventListener("abort", stop);
  const origin = model.origin;
  const which = [
    origin?.registered ? `"${origin.registered.name}" version ${origin.registered.version}` : "",
    origin?.runId ? `run ${origin.runId}` : "",
  ].filter(Boolean).join(", ");
  out(
    `Serving model ${style.bold(options.modelUri)}${which ? ` (${which})` : ""}: input "${model.inputName}"` +
      ` → output "${model.outputName}"`,
  );
  out(`  listening on ${style.bold(running.url)}  POST /invocations, GET /ping  (Ctrl-C to stop)`);
  if (exposed) {
    err(
      style.yellow(`⚠ Listening on ${host}: anyone who can reach this machine can call the model.`),
    );
  }
  options.onListening?.(running.url);
  try {
    await running.finished;
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, stop);
  }
  out("Server stopped.");
  return EXIT.ok;
}

// A file that is not JSON at all is the file's problem, said with its name and the place (the scoring
// protocol's message would quote the whole file back).
function checkJson(text: string, inputName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    // Python's json.dump writes NaN and the infinities as bare tokens; MLflow's predict reads them.
    const python = parsePythonJson(text);
    if (python.ok) return python.value;
    throw new UsageError(
      "cli/input-bad-json",
      `${inputName} is not valid JSON: ${(cause as Error).message}`,
      {
        hint: 'a JSON file holds {"dataframe_split": …}, {"dataframe_records": […]}, {"instances": …}, ' +
          '{"inputs": …} or a list of records; for a CSV file use the .csv extension or --content-type csv',
      },
    );
  }
}

// The scoring protocol's words are MLflow's (the server answers with them); from the command line they also
// name the file they are about and what the model takes.
function inputProblem(error: unknown, inputName: string, model: KmlfModel, shape?: string): unknown {
  if (!(error instanceof ScoringError) || error.status >= 500 || error.hint) return error;
  const columns = model.signature?.inputs.map((c) => c.name).filter((n) => n !== undefined) ?? [];
  const example = model.metadata.savedInputExampleInfo?.servingInputPath;
  const hint = [
    `fix ${inputName}`,
    shape,
    columns.length ? `the model's input columns are ${columns.join(", ")}` : undefined,
    example ? `a request it takes: ${join(model.dir, example)}` : undefined,
  ].filter(Boolean).join("; ");
  return new ScoringError(error.status, error.errorCode, error.message, {
    code: error.code,
    hint,
    cause: error.cause,
  });
}

// pandas' split orient without its wrapper (what input_example.json holds) is the usual near miss.
function checkJsonShape(text: string, kind: "json" | "csv"): string | undefined {
  if (kind !== "json") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.includes("columns") && keys.includes("data")) {
    return "it holds pandas' split orient (as a model's input_example.json): wrap it as {\"dataframe_split\": …}";
  }
  return undefined;
}

// As the scoring server reads a body: UTF-8 only (a byte-order mark dropped), not U+FFFD for other bytes,
// which would reach the model as garbled column names and values.
function utf8Text(bytes: Uint8Array, inputName: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    throw new UsageError(
      "cli/input-unreadable",
      `${inputName} is not UTF-8 text${utf16 ? " (it is UTF-16)" : ""}`,
      {
        hint: `save the CSV or JSON as UTF-8 (Excel: "CSV UTF-8"), or convert it: iconv -f ${
          utf16 ? "UTF-16" : "LATIN1"
        } -t UTF-8 <file> > <new file>`,
      },
    );
  }
}

async function readStdin(): Promise<Uint8Array> {
  const hint = "pass --input-path <file>, or pipe the JSON or CSV in (add --content-type csv for CSV)";
  // A terminal would wait for typed input that nobody means to type.
  if (Deno.stdin.isTerminal()) {
    throw new UsageError(
      "cli/input-unreadable",
      "No input: --input-path is not given and stdin is a terminal",
      {
        hint,
      },
    );
  }
  const bytes = new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer());
  if (new TextDecoder().decode(bytes).trim() === "") {
    throw new UsageError("cli/input-unreadable", "No input: --input-path is not given and stdin is empty", {
      hint,
    });
  }
  return bytes;
}

function contentTypeOf(flag: string | undefined, path: string): "json" | "csv" {
  const value = (flag ?? (extname(path).toLowerCase() === ".csv" ? "csv" : "json")).toLowerCase();
  if (value === "json" || value === "application/json") return "json";
  if (value === "csv" || value === "text/csv") return "csv";
  throw new UsageError("cli/bad-content-type", `--content-type must be json or csv, got "${flag}"`, {
    hint: "--content-type csv for a CSV file with a header line, json for MLflow's JSON formats",
  });
}

async function toCsv(predictions: unknown): Promise<string> {
  const { stringify } = await import("csv-stringify/sync");
  // As pandas' to_csv writes them (and kmlf's CSV datasets, which pandas reads back): True/False, not 1/0;
  // NaN as an empty cell; inf and -inf.
  const cast = {
    boolean: (v: boolean) => (v ? "True" : "False"),
    number: (
      v: number,
    ) => (Number.isNaN(v) ? "" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : String(v)),
  };
  const rows = Array.isArray(predictions) ? predictions : [predictions];
  if (rows.every((r) => typeof r === "object" && r !== null && !Array.isArray(r))) {
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r as object)))];
    return stringify(rows.map((r) => columns.map((c) => (r as Record<string, unknown>)[c] ?? "")), {
      header: true,
      columns,
      cast,
    });
  }
  return stringify(rows.map((r) => [typeof r === "object" && r !== null ? JSON.stringify(r) : r]), {
    header: true,
    columns: ["prediction"],
    cast,
  });
}

// Bad input (4xx) is the user's to fix (exit 2); a failing model is a failed run (exit 1).
async function reportModelError(error: unknown, debug = false): Promise<number> {
  const code = await reportError(error, { debug });
  if (error instanceof ScoringError) return error.status >= 500 ? EXIT.runFailed : EXIT.usage;
  return code;
}
