/**
 * Kedro's flag spellings on kmlf's parser. Kedro (click) has multi-letter short flags (`kedro run -ns`,
 * `-lv`, `kedro new -tc`) that commander does not know (it reads `-ns x` as `-n s` plus a stray `x`), so
 * they are rewritten to their long form before parsing and shown in `--help` through the option's help
 * flags. And a short flag's value written `-e=local` is read as `-e local`, as `--env=local` and `-elocal`
 * are (click and commander both took it as the value "=local", which no Kedro flag means).
 */
import type { Command, Option } from "./_commander/index.js";
import { UsageError } from "../errors.ts";

/** Kedro's multi-letter short flags and the long option each stands for, by command. */
export const KEDRO_SHORT_FLAGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  run: { "-ns": "--namespaces", "-lv": "--load-versions" },
  new: { "-tc": "--telemetry" },
};

/**
 * Rewrites Kedro's flag spellings in `argv` into commander's for `program`'s command tree: `-ns x` /
 * `-ns=x` after `run` (and `-lv`, `new -tc`) into their long forms, and a value-taking short flag written
 * `-t=x` (alone or ending a group, `-qt=x`) into `-t x`. It follows the command words and skips option
 * values as commander reads them; everything after a `--` is left alone.
 *
 * @example
 * ```ts
 * expandKedroShortFlags(["run", "-ns", "data_science", "-e=prod"], program);
 * // ["run", "--namespaces", "data_science", "-e", "prod"]
 * ```
 */
export function expandKedroShortFlags(argv: readonly string[], program: Command): string[] {
  const out: string[] = [];
  const chain: Command[] = [program];
  let operands = 0; // of the innermost command: only its first word can name a subcommand
  const option = (match: (o: Option) => boolean) => chain.toReversed().flatMap((c) => c.options).find(match);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    // Whether `o` takes the next word as its value, as commander decides.
    const takesNext = (o: Option | undefined) =>
      o !== undefined && i + 1 < argv.length && (o.required || (o.optional && !argv[i + 1].startsWith("-")));
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith("--")) {
      out.push(arg);
      if (!arg.includes("=") && takesNext(option((o) => o.long === arg))) out.push(argv[++i]);
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      const kedro = KEDRO_SHORT_FLAGS[chain.slice(1).map((c) => c.name()).join(" ")] ?? {};
      const [flag, ...value] = arg.split("=");
      const long = kedro[flag];
      if (long !== undefined && value.length > 0) out.push(`${long}=${value.join("=")}`);
      else if (long !== undefined) out.push(long, ...(i + 1 < argv.length ? [argv[++i]] : [])); // all take values
      else {
        const { words, valueNext } = shortGroup(arg, (letter) => option((o) => o.short === `-${letter}`));
        out.push(...words);
        if (takesNext(valueNext)) out.push(argv[++i]);
      }
      continue;
    }
    const sub = operands === 0
      ? chain.at(-1)!.commands.find((c) => c.name() === arg || c.aliases().includes(arg))
      : undefined;
    if (sub) {
      chain.push(sub);
      operands = 0;
    } else operands++;
    out.push(arg);
  }
  return out;
}

// A group of one-letter flags (`-q`, `-qy`, `-qe`, `-qelocal`, `-qe=local`): booleans, then maybe one that
// takes the rest of the word as its value (`=` dropped: `-qe=local` is `-qe local`) or, when nothing is
// left, the next word (`valueNext`). An unknown letter stops the walk: commander reports it.
function shortGroup(
  arg: string,
  find: (letter: string) => Option | undefined,
): { words: string[]; valueNext?: Option } {
  for (let at = 1; at < arg.length; at++) {
    const option = find(arg[at]);
    if (option === undefined) break;
    if (!option.required && !option.optional) continue;
    const rest = arg.slice(at + 1);
    if (rest.startsWith("=")) return { words: [arg.slice(0, at + 1), rest.slice(1)] };
    return { words: [arg], valueNext: rest === "" ? option : undefined };
  }
  return { words: [arg] };
}

/**
 * Shows `command`'s Kedro short flag in help (`-ns, --namespaces <namespaces>`); parsing is unaffected.
 *
 * @example
 * ```ts
 * withKedroShortFlag(new Option("--namespaces <namespaces>", "run only nodes in these namespaces"), "run");
 * ```
 */
export function withKedroShortFlag(option: Option, command: string): Option {
  const short = Object.entries(KEDRO_SHORT_FLAGS[command] ?? {}).find(([, long]) => long === option.long)
    ?.[0];
  if (short !== undefined) option.flags = `${short}, ${option.flags}`;
  return option;
}

/**
 * Option parser of a comma-separated list flag given more than once: `--nodes a --nodes b` is
 * `--nodes a,b` (click, under Kedro, keeps only the last and silently runs less).
 *
 * @example
 * ```ts
 * program.option("-n, --nodes <names>", "run only these nodes", appendList);
 * ```
 */
export function appendList(value: string, previous: string | undefined): string {
  return previous === undefined ? value : `${previous},${value}`;
}

/**
 * Option parser of a single-valued flag: given twice with different values is a `cli/repeated-flag`
 * error (click keeps the last one silently); the same value twice is fine.
 *
 * @example
 * ```ts
 * program.option("-e, --env <env>", "configuration environment", onceFlag("--env"));
 * ```
 */
export function onceFlag(flag: string, hint?: string): (value: string, previous: unknown) => string {
  return (value, previous) => {
    if (previous !== undefined && previous !== value) {
      throw new UsageError("cli/repeated-flag", `${flag} was given twice: "${previous}" and "${value}"`, {
        hint: hint ?? `give ${flag} once`,
      });
    }
    return value;
  };
}
