/**
 * Which of Python's logging handler classes kmlf carries out from a Kedro `logging.yml`, which it drops with
 * a note, and the keys each takes (`lib/cli/logging/dict_config.ts` checks a configuration against them).
 *
 * @module
 */
/** The kinds of handler kmlf opens. */
export type HandlerKind = "stream" | "file" | "watched" | "rotating" | "timed" | "rich" | "null";

/** The handler classes kmlf carries out, by the kind of handler it opens for each. */
export const HANDLER_CLASSES: Record<string, HandlerKind> = {
  "logging.StreamHandler": "stream",
  "logging.FileHandler": "file",
  "logging.handlers.WatchedFileHandler": "watched",
  "logging.handlers.RotatingFileHandler": "rotating",
  "logging.handlers.TimedRotatingFileHandler": "timed",
  "logging.NullHandler": "null",
  "kedro.logging.RichHandler": "rich",
  "rich.logging.RichHandler": "rich",
};
// Python's other standard handlers: valid in a Kedro project, but sending records over a network, to syslog,
// a queue or a mail server is not kmlf's job. Such a handler is dropped with a located warning instead of
// stopping the run (kmlf ran these projects before it read logging.yml at all).
export const DROPPED_HANDLER_CLASSES = new Set([
  "logging.handlers.SocketHandler",
  "logging.handlers.DatagramHandler",
  "logging.handlers.SysLogHandler",
  "logging.handlers.NTEventLogHandler",
  "logging.handlers.SMTPHandler",
  "logging.handlers.BufferingHandler",
  "logging.handlers.MemoryHandler",
  "logging.handlers.HTTPHandler",
  "logging.handlers.QueueHandler",
]);
/** Keys every handler takes. */
export const COMMON_HANDLER_KEYS = ["class", "level", "formatter"];
const FILE_KEYS = ["filename", "mode", "encoding", "delay", "errors"];
/** The keys of each kind of handler besides the common ones. */
export const HANDLER_KEYS: Record<HandlerKind, string[]> = {
  stream: ["stream"],
  file: FILE_KEYS,
  watched: FILE_KEYS,
  rotating: [...FILE_KEYS, "maxBytes", "backupCount"],
  // (Python's TimedRotatingFileHandler takes no mode: it appends.)
  timed: ["filename", "encoding", "delay", "errors", "when", "interval", "backupCount", "utc", "atTime"],
  null: [],
  // RichHandler's own options: the terminal output is kmlf's, so they are taken and have no effect.
  rich: [
    "rich_tracebacks",
    "markup",
    "show_time",
    "show_level",
    "show_path",
    "enable_link_path",
    "omit_repeated_times",
    "log_time_format",
    "keywords",
    "locals_max_length",
    "locals_max_string",
  ],
};
