/**
 * The handlers of a logging configuration: Python's StreamHandler, FileHandler, RotatingFileHandler and
 * NullHandler, and Kedro's/rich's RichHandler as kmlf's own terminal lines.
 */
import { ConfigError } from "../../errors.ts";
import { dirname } from "../../path.ts";
import { statIfAny } from "../../fs_utils.ts";
import { formatKeyPath } from "../../yaml/parse_yaml.ts";
import type { YamlSource } from "../../yaml/parse_yaml.ts";
import { err, out } from "../terminal.ts";
import type { RunLogRecord } from "../run_log.ts";
import type { FormatterSpec, HandlerSpec } from "./dict_config.ts";
import { formatRecord, type RecordFields } from "./percent_format.ts";
import { strftime } from "./strftime.ts";
import { expiredBackups, nextRollover, periodOf, rolledName } from "./timed_rotation.ts";

/** A record as handlers see it: what kmlf reported and when. */
export interface TimedRecord extends RunLogRecord {
  /** Epoch milliseconds. */
  created: number;
}

/** One configured handler. */
export interface Handler {
  readonly spec: HandlerSpec;
  /** Writes the record (its level already checked against the handler's). */
  emit(record: TimedRecord): void;
  close(): void;
}

/** How the run's options change the terminal handlers. */
export interface TerminalOptions {
  /** --quiet/--json: only records marked `quietToo` reach the terminal. */
  quiet: boolean;
  /** --json: stdout carries one JSON document, so stream handlers on stdout write to stderr. */
  json: boolean;
}

const LEVEL_NAME: Record<number, string> = {
  10: "DEBUG",
  20: "INFO",
  30: "WARNING",
  40: "ERROR",
  50: "CRITICAL",
};
const DEFAULT_FORMAT: FormatterSpec = {
  format: { pieces: [{ key: "message", flags: "", conv: "s" }], usesTime: false },
};
const encoder = new TextEncoder();

/**
 * `formatter.format(record)`: the record's attributes as Python's `LogRecord` has them; `filename`,
 * `module` and `pathname` name the record's file, else the Kedro module that logs the same line (`lineno`
 * is 0).
 *
 * @example
 * ```ts
 * formatLine({ logger: "kedro.io.data_catalog", level: 20, message: "hi", created: Date.now() }, undefined);
 * ```
 */
export function formatLine(record: TimedRecord, formatter: FormatterSpec | undefined): string {
  const f = formatter ?? DEFAULT_FORMAT;
  const pathname = record.pathname ?? `${record.logger.replaceAll(".", "/")}.py`;
  const filename = pathname.split(/[\\/]/).at(-1)!;
  const msecs = Math.floor(record.created % 1000);
  const fields: RecordFields = {
    name: record.logger,
    levelno: record.level,
    levelname: LEVEL_NAME[record.level] ?? `Level ${record.level}`,
    message: record.message,
    msg: record.message,
    pathname,
    filename,
    module: filename.replace(/\.[^.]*$/, ""),
    funcName: record.funcName ?? "log",
    lineno: 0,
    created: record.created / 1000,
    msecs,
    relativeCreated: record.created - (performance.timeOrigin ?? 0),
    thread: 0,
    threadName: "MainThread",
    process: Deno.pid,
    processName: "MainProcess",
  };
  if (f.format.usesTime) {
    const date = new Date(record.created);
    fields.asctime = f.datefmt !== undefined
      ? strftime(f.datefmt, date)
      : `${strftime("%Y-%m-%d %H:%M:%S", date)},${String(msecs).padStart(3, "0")}`;
  }
  return formatRecord(f.format, fields);
}

/**
 * Opens every handler, its log file included (a missing folder is created); when one cannot be opened,
 * closes the others, removes what was created and throws `logging/unwritable-log-file`.
 *
 * @example
 * ```ts
 * const handlers = openHandlers(spec, src, { quiet: false, json: false });
 * ```
 */
export function openHandlers(
  specs: { handlers: Map<string, HandlerSpec>; formatters: Map<string, FormatterSpec> },
  src: YamlSource,
  terminal: TerminalOptions,
): Map<string, Handler> {
  const opened = new Map<string, Handler>();
  const created: string[] = [];
  try {
    for (const spec of specs.handlers.values()) {
      const formatter = spec.formatter === undefined ? undefined : specs.formatters.get(spec.formatter);
      opened.set(spec.name, openHandler(spec, formatter, terminal, created));
    }
    return opened;
  } catch (cause) {
    for (const h of opened.values()) h.close();
    for (const path of created.reverse()) {
      try {
        Deno.removeSync(path);
      } catch { /* already gone */ }
    }
    const spec = [...specs.handlers.values()].find((s) => !opened.has(s.name))!;
    throw new ConfigError(
      "logging/unwritable-log-file",
      `Cannot open log file ${spec.filename} of handler "${spec.name}": ${(cause as Error).message}`,
      {
        source: { ...src.locate(spec.keyPath), keyPath: formatKeyPath(spec.keyPath) },
        hint: "make the folder writable, or point `filename` at a folder you may write to",
        cause,
      },
    );
  }
}

function openHandler(
  spec: HandlerSpec,
  formatter: FormatterSpec | undefined,
  terminal: TerminalOptions,
  created: string[],
): Handler {
  const show = (record: TimedRecord) => !terminal.quiet || record.quietToo === true;
  switch (spec.kind) {
    case "null":
      return { spec, emit() {}, close() {} };
    case "rich":
      return {
        spec,
        emit(record) {
          if (record.terminal && show(record)) {
            (record.terminal.stream === "out" ? out : err)(record.terminal.text);
          }
        },
        close() {},
      };
    case "stream": {
      const write = spec.stream === "stdout" && !terminal.json ? out : err;
      return { spec, emit: (record) => show(record) && write(formatLine(record, formatter)), close() {} };
    }
    default:
      return new LogFile(spec, formatter, created);
  }
}

/**
 * FileHandler, WatchedFileHandler, RotatingFileHandler when `maxBytes` and `backupCount` are set, and
 * TimedRotatingFileHandler.
 */
class LogFile implements Handler {
  #file?: Deno.FsFile;
  #size = 0;
  #written = false;
  #truncate: boolean;
  #createdFile = false;
  #broken = false;
  // A timed handler's next rollover (epoch seconds): its period after the file's last change, as Python's.
  #rolloverAt = Infinity;

  constructor(
    readonly spec: HandlerSpec,
    private readonly formatter: FormatterSpec | undefined,
    created: string[],
  ) {
    const path = spec.filename!;
    const existing = statIfAny(path);
    if (existing && !existing.isFile) throw new Error("it is not a file");
    for (let dir = dirname(path), missing: string[] = [];; dir = dirname(dir)) {
      const info = statIfAny(dir);
      if (info && !info.isDirectory) throw new Error(`${dir} is not a folder`);
      if (info || dir === dirname(dir)) {
        for (const m of missing.reverse()) {
          Deno.mkdirSync(m);
          created.push(m);
        }
        break;
      }
      missing.push(dir);
    }
    // Opened now, whatever `delay` says, so a file that cannot be written stops the run before it starts.
    this.#file = Deno.openSync(path, { write: true, append: true, create: true });
    if (!existing) {
      this.#createdFile = true;
      created.push(path);
    }
    this.#truncate = spec.mode === "w";
    this.#size = this.#truncate ? 0 : this.#file.statSync().size;
    if (spec.timed) {
      const changed = existing?.mtime ? existing.mtime.getTime() : Date.now();
      this.#rolloverAt = nextRollover(spec.timed, Math.floor(changed / 1000));
    }
  }

  emit(record: TimedRecord): void {
    if (this.#broken) return;
    const bytes = encoder.encode(formatLine(record, this.formatter) + "\n");
    try {
      if (this.#truncate) {
        this.#file!.truncateSync(0);
        this.#truncate = false;
      }
      // WatchedFileHandler: a file moved or removed since (logrotate) is opened afresh, as Python reopens it.
      if (
        this.spec.kind === "watched" && statIfAny(this.spec.filename!)?.ino !== this.#file!.statSync().ino
      ) {
        this.#file!.close();
        this.#file = Deno.openSync(this.spec.filename!, { write: true, append: true, create: true });
      }
      const now = Math.floor(record.created / 1000);
      if (this.spec.timed && now >= this.#rolloverAt) this.#timedRollover(now);
      else if (this.#shouldRollover(bytes.length)) this.#rollover();
      for (let at = 0; at < bytes.length;) at += this.#file!.writeSync(bytes.subarray(at));
      this.#size += bytes.length;
      this.#written = true;
    } catch (error) {
      // Python prints "--- Logging error ---" for each record; one line says which file stopped.
      this.#broken = true;
      err(
        `warning: Cannot write log file ${this.spec.filename}: ${
          (error as Error).message
        }; it gets no more lines`,
      );
    }
  }

  // Python 3.13's RotatingFileHandler.shouldRollover: never an empty file.
  #shouldRollover(length: number): boolean {
    return this.spec.kind === "rotating" && this.spec.maxBytes > 0 && this.#size > 0 &&
      this.#size + length >= this.spec.maxBytes;
  }

  // Python's doRollover: info.log.(N-1) → .N, …, info.log → .1, then a fresh info.log.
  #rollover(): void {
    const base = this.spec.filename!;
    this.#file!.close();
    if (this.spec.backupCount > 0) {
      for (let i = this.spec.backupCount - 1; i > 0; i--) {
        if (statIfAny(`${base}.${i}`)) {
          if (statIfAny(`${base}.${i + 1}`)) Deno.removeSync(`${base}.${i + 1}`);
          Deno.renameSync(`${base}.${i}`, `${base}.${i + 1}`);
        }
      }
      if (statIfAny(`${base}.1`)) Deno.removeSync(`${base}.1`);
      Deno.renameSync(base, `${base}.1`);
    }
    this.#file = Deno.openSync(base, { write: true, append: true, create: true });
    this.#size = this.#file.statSync().size;
  }

  // Python's TimedRotatingFileHandler.doRollover: info.log → info.log.<start of its period>, the dated files
  // past backupCount deleted, a fresh info.log. A dated file already there is kept (Python 3.11 would
  // delete it): the lines go on into info.log until the next rollover.
  #timedRollover(now: number): void {
    const schedule = this.spec.timed!;
    const base = this.spec.filename!;
    const dated = rolledName(base, schedule, this.#rolloverAt, now);
    let next = nextRollover(schedule, now);
    while (next <= now) next += periodOf(schedule);
    this.#rolloverAt = next;
    if (statIfAny(dated)) return;
    this.#file!.close();
    Deno.renameSync(base, dated);
    if (this.spec.backupCount > 0) {
      for (const old of expiredBackups(base, schedule, this.spec.backupCount)) Deno.removeSync(old);
    }
    this.#file = Deno.openSync(base, { write: true, append: true, create: true });
    this.#size = 0;
  }

  close(): void {
    this.#file?.close();
    this.#file = undefined;
    // `delay: true` creates no file for a run that logged nothing to it, as in Python.
    if (this.spec.delay && this.#createdFile && !this.#written) {
      try {
        Deno.removeSync(this.spec.filename!);
      } catch { /* already gone */ }
    }
  }
}
