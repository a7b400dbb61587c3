/**
 * The subset of Python's `logging.config.dictConfig` kmlf carries out, read from a Kedro `logging.yml`:
 * every key checked and located before anything is opened, all problems reported together.
 */
import { ConfigChecker, undefinedName, unknownClass } from "./config_checker.ts";
import {
  COMMON_HANDLER_KEYS,
  DROPPED_HANDLER_CLASSES,
  HANDLER_CLASSES,
  HANDLER_KEYS,
  type HandlerKind,
} from "./handler_classes.ts";
import { formatLocation } from "../../errors.ts";
import { resolve } from "../../path.ts";
import type { KeyPath, YamlSource } from "../../yaml/parse_yaml.ts";
import { compilePercentFormat, type PercentFormat } from "./percent_format.ts";
import { unknownDirective } from "./strftime.ts";
import { type TimedSchedule, whenProblem } from "./timed_rotation.ts";
import { foreignPath } from "../../foreign_path.ts";

/** A checked formatter. */
export interface FormatterSpec {
  format: PercentFormat;
  /** strftime codes for `%(asctime)s`; undefined: `YYYY-MM-DD HH:MM:SS,mmm`. */
  datefmt?: string;
}

/** A checked handler. */
export interface HandlerSpec {
  name: string;
  kind: HandlerKind;
  level: number;
  formatter?: string;
  /** StreamHandler's stream (Python's default: stderr). */
  stream: "stdout" | "stderr";
  /** Absolute path of a file handler's log file. */
  filename?: string;
  /** The key path of `filename`, for errors when the file cannot be opened. */
  keyPath: KeyPath;
  mode: "a" | "w";
  maxBytes: number;
  backupCount: number;
  delay: boolean;
  /** A TimedRotatingFileHandler's `when`, `interval` and `utc`. */
  timed?: TimedSchedule;
}

/** A checked logger (`root` included). */
export interface LoggerSpec {
  level?: number;
  propagate: boolean;
  handlers: string[];
}

/** A checked configuration. */
export interface LoggingSpec {
  formatters: Map<string, FormatterSpec>;
  handlers: Map<string, HandlerSpec>;
  loggers: Map<string, LoggerSpec>;
  root: LoggerSpec;
  disableExistingLoggers: boolean;
  /** Warnings about valid configuration kmlf does not carry out, located (`file:line:col: text`). */
  notes: string[];
}

const UTF8 = new Set(["utf8", "utf-8", "utf_8", "u8"]);

/**
 * Checks a parsed logging configuration; throws every problem together as {@link ConfigError}s.
 *
 * @example
 * ```ts
 * const spec = checkLoggingConfig(parseYaml("version: 1\n", "conf/logging.yml"), Deno.cwd());
 * ```
 */
export function checkLoggingConfig(src: YamlSource, cwd: string): LoggingSpec {
  const check = new ConfigChecker(src, cwd);
  const { fail, unknownKeys, mapping, level, typed } = check;
  const isCount = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;

  const top = mapping(src.value, [], "The logging configuration") ?? {};
  unknownKeys(
    top,
    [],
    ["version", "disable_existing_loggers", "incremental", "formatters", "handlers", "loggers", "root"],
    "the logging configuration",
  );
  if (top.version !== 1) {
    fail(
      "logging/invalid",
      top.version === undefined ? [] : ["version"],
      top.version === undefined
        ? "The logging configuration has no `version`"
        : `Unsupported version: ${top.version}`,
      "start the file with `version: 1` (Python's only dictConfig version)",
    );
  }
  if (top.incremental === true) {
    fail(
      "logging/unsupported",
      ["incremental"],
      "Cannot apply an incremental logging configuration: kmlf configures logging once per run",
      "remove `incremental: true`",
    );
  }
  typed(top.incremental, ["incremental"], (v) => typeof v === "boolean", "true or false", false);

  const formatters = new Map<string, FormatterSpec>();
  for (const [name, raw] of Object.entries(mapping(top.formatters, ["formatters"], "formatters") ?? {})) {
    const path = ["formatters", name];
    const f = mapping(raw, path, `Formatter "${name}"`) ?? {};
    unknownKeys(f, path, ["format", "datefmt", "style", "validate", "class"], `formatter "${name}"`);
    if (f.class !== undefined && f.class !== "logging.Formatter") {
      unknownClass(fail, [...path, "class"], f.class, ["logging.Formatter"], "formatter");
    }
    if (f.style !== undefined && f.style !== "%") {
      fail(
        "logging/unsupported",
        [...path, "style"],
        `Cannot use style ${JSON.stringify(f.style)} in formatter "${name}": kmlf formats with "%" only`,
        'write the format with %(name)s fields and remove `style:` (or set it to "%")',
      );
    }
    typed(f.validate, [...path, "validate"], (v) => typeof v === "boolean", "true or false", true);
    const text = typed(
      f.format,
      [...path, "format"],
      (v) => typeof v === "string",
      "a string",
      "%(message)s",
    );
    const compiled = compilePercentFormat(text);
    // A "{" or "$" format was refused above already, with its fix.
    if (compiled.problem && (f.style === undefined || f.style === "%")) {
      fail(
        "logging/bad-format",
        [...path, "format"],
        `Cannot use format ${JSON.stringify(text)} of formatter "${name}": ${compiled.problem}`,
        "use LogRecord attributes such as %(asctime)s, %(name)s, %(levelname)s, %(message)s, %(filename)s",
      );
    }
    const datefmt = typed<string | undefined>(
      f.datefmt,
      [...path, "datefmt"],
      (v) => typeof v === "string",
      "a string",
      undefined,
    );
    const bad = datefmt === undefined ? undefined : unknownDirective(datefmt);
    if (bad) {
      fail(
        "logging/bad-format",
        [...path, "datefmt"],
        `Cannot use datefmt ${JSON.stringify(datefmt)} of formatter "${name}": unknown directive "${bad}"`,
        bad === "%f"
          ? "time.strftime has no %f (Python would write it as is): remove it, and add .%(msecs)03d after " +
            "%(asctime)s in `format` for milliseconds"
          : 'use strftime codes such as %Y-%m-%d %H:%M:%S (write "%%" for a percent sign)',
      );
    }
    if (compiled.format) formatters.set(name, { format: compiled.format, datefmt });
  }

  const handlers = new Map<string, HandlerSpec>();
  const notes: string[] = [];
  // A handler kmlf does not open still has its `()` factory and `filters` refused, as every handler's are.
  const refuseFactoryAndFilters = (h: Record<string, unknown>, path: KeyPath, name: string) =>
    unknownKeys(
      Object.fromEntries(Object.entries(h).filter(([k]) => k === "()" || k === "filters")),
      path,
      [],
      `handler "${name}"`,
    );
  for (const [name, raw] of Object.entries(mapping(top.handlers, ["handlers"], "handlers") ?? {})) {
    const path = ["handlers", name];
    const h = mapping(raw, path, `Handler "${name}"`) ?? {};
    if (typeof h.class === "string" && DROPPED_HANDLER_CLASSES.has(h.class)) {
      refuseFactoryAndFilters(h, path, name);
      notes.push(
        `${formatLocation(src.locate([...path, "class"]), cwd)}: kmlf does not carry out ${h.class}: ` +
          `handler "${name}" drops its records; the other handlers work (remove it, or use ` +
          `logging.handlers.RotatingFileHandler to keep a log file)`,
      );
      // A NullHandler in its place: loggers naming it stay valid, and their records go to the others.
      handlers.set(name, {
        name,
        kind: "null",
        level: 0,
        stream: "stderr",
        keyPath: path,
        mode: "a",
        maxBytes: 0,
        backupCount: 0,
        delay: false,
      });
      continue;
    }
    const kind = typeof h.class === "string" ? HANDLER_CLASSES[h.class] : undefined;
    if (!kind) {
      if (h.class === undefined && !Object.hasOwn(h, "()")) {
        fail(
          "logging/invalid",
          path,
          `Handler "${name}" has no \`class\``,
          `add \`class: logging.StreamHandler\` or another of ${Object.keys(HANDLER_CLASSES).join(", ")}`,
        );
      } else if (h.class !== undefined) {
        unknownClass(fail, [...path, "class"], h.class, Object.keys(HANDLER_CLASSES), "handler");
      }
      refuseFactoryAndFilters(h, path, name);
      continue;
    }
    const known = [...COMMON_HANDLER_KEYS, ...HANDLER_KEYS[kind]];
    unknownKeys(
      kind === "rich"
        ? Object.fromEntries(Object.entries(h).filter(([k]) => !k.startsWith("tracebacks_")))
        : h,
      path,
      known,
      `handler "${name}" (${h.class})`,
    );
    const formatter = typed<string | undefined>(
      h.formatter,
      [...path, "formatter"],
      (v) => typeof v === "string",
      "a formatter's name",
      undefined,
    );
    if (formatter !== undefined && !keysOf(top.formatters).includes(formatter)) {
      undefinedName(
        fail,
        [...path, "formatter"],
        formatter,
        "formatter",
        keysOf(top.formatters),
      );
    }
    let stream: HandlerSpec["stream"] = "stderr";
    if (h.stream !== undefined) {
      if (h.stream === "ext://sys.stdout") stream = "stdout";
      else if (h.stream !== "ext://sys.stderr") {
        fail(
          "logging/invalid",
          [...path, "stream"],
          `Cannot log to stream ${JSON.stringify(h.stream)}`,
          "use ext://sys.stdout or ext://sys.stderr",
        );
      }
    }
    const spec: HandlerSpec = {
      name,
      kind,
      level: level(h.level, [...path, "level"]) ?? 0,
      formatter,
      stream,
      keyPath: [...path, "filename"],
      mode: typed(h.mode, [...path, "mode"], (v) => v === "a" || v === "w", '"a" or "w"', "a"),
      maxBytes: typed(h.maxBytes, [...path, "maxBytes"], isCount, "a number of bytes", 0),
      backupCount: typed(h.backupCount, [...path, "backupCount"], isCount, "a number of files", 0),
      delay: typed(h.delay, [...path, "delay"], (v) => typeof v === "boolean", "true or false", false),
    };
    if (kind === "file" || kind === "watched" || kind === "rotating" || kind === "timed") {
      const file = typed<string | undefined>(
        h.filename,
        [...path, "filename"],
        (v) => typeof v === "string" && v !== "",
        "a file path",
        undefined,
      );
      if (h.filename === undefined) {
        fail(
          "logging/invalid",
          path,
          `Handler "${name}" has no \`filename\``,
          "add `filename: logs/info.log`",
        );
      }
      // Python's FileHandler takes the path as written (no ~), relative to the working folder.
      const foreign = file === undefined ? undefined : foreignPath(file, {
        tilde: "in logging.yml (Python's logging opens it from the working folder: a folder named ~)",
        relative: "one relative to the working folder (logs/info.log)",
      });
      if (foreign) {
        fail(
          "logging/invalid",
          [...path, "filename"],
          `Cannot log to "${file}": ${foreign.problem}`,
          foreign.hint,
        );
      } else if (file !== undefined) spec.filename = resolve(cwd, file);
      if (
        h.encoding !== undefined && h.encoding !== null &&
        !(typeof h.encoding === "string" && UTF8.has(h.encoding.toLowerCase()))
      ) {
        fail(
          "logging/unsupported",
          [...path, "encoding"],
          `Cannot write log files in encoding ${JSON.stringify(h.encoding)}: kmlf writes UTF-8`,
          "write `encoding: utf8` or remove the key",
        );
      }
      // Python's RotatingFileHandler appends whenever it may rotate.
      if (kind === "rotating" && spec.maxBytes > 0) spec.mode = "a";
    }
    if (kind === "timed") spec.timed = timedSchedule(h, path, check);
    handlers.set(name, spec);
  }

  const loggerSpec = (raw: unknown, path: KeyPath, what: string, keys: string[]): LoggerSpec => {
    const l = mapping(raw, path, what) ?? {};
    unknownKeys(l, path, keys, what);
    const names = typed<unknown[]>(
      l.handlers,
      [...path, "handlers"],
      Array.isArray,
      "a list of handler names",
      [],
    );
    names.forEach((n, i) => {
      if (typeof n !== "string" || !handlers.has(n)) {
        if (typeof n === "string" && keysOf(top.handlers).includes(n)) return; // refused above
        undefinedName(fail, [...path, "handlers", i], String(n), "handler", [...handlers.keys()]);
      }
    });
    return {
      level: level(l.level, [...path, "level"]),
      propagate: typed(
        l.propagate,
        [...path, "propagate"],
        (v) => typeof v === "boolean",
        "true or false",
        true,
      ),
      handlers: names.filter((n): n is string => typeof n === "string" && handlers.has(n)),
    };
  };
  const loggers = new Map<string, LoggerSpec>();
  for (const [name, raw] of Object.entries(mapping(top.loggers, ["loggers"], "loggers") ?? {})) {
    loggers.set(
      name,
      loggerSpec(raw, ["loggers", name], `logger "${name}"`, ["level", "propagate", "handlers"]),
    );
  }
  const root = loggerSpec(top.root, ["root"], "the root logger", ["level", "handlers"]);
  const disableExistingLoggers = typed(
    top.disable_existing_loggers,
    ["disable_existing_loggers"],
    (v) => typeof v === "boolean",
    "true or false",
    true,
  );
  check.throwIfAny();
  return {
    formatters,
    handlers,
    loggers,
    root: { ...root, level: root.level ?? 30 },
    disableExistingLoggers,
    notes,
  };
}

// A TimedRotatingFileHandler's schedule, each bad value located (Python's ValueError words for `when`).
function timedSchedule(h: Record<string, unknown>, path: KeyPath, check: ConfigChecker): TimedSchedule {
  const isWhole = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 1;
  const when = check.typed(h.when, [...path, "when"], (v) => typeof v === "string", "a string", "h");
  const problem = whenProblem(when);
  if (problem) {
    check.fail(
      "logging/invalid",
      [...path, "when"],
      problem,
      "use S, M, H, D, midnight, or W0 (Monday) … W6",
    );
  }
  if (h.atTime !== undefined && h.atTime !== null) {
    check.fail(
      "logging/unsupported",
      [...path, "atTime"],
      "Cannot use atTime: a YAML logging configuration cannot give the datetime.time Python needs",
      "remove atTime: midnight and weekly files roll over at midnight",
    );
  }
  return {
    when: problem ? "H" : when.toUpperCase(),
    interval: check.typed(h.interval, [...path, "interval"], isWhole, "a whole number of units", 1),
    utc: check.typed(h.utc, [...path, "utc"], (v) => typeof v === "boolean", "true or false", false),
  };
}

// The names a section defines, refused ones included (their own problem is reported where they are).
function keysOf(section: unknown): string[] {
  return section && typeof section === "object" && !Array.isArray(section) ? Object.keys(section) : [];
}
