/**
 * MLflow conventions shared by the tracking engine and the kedro-mlflow layer, kept in a module that
 * imports only leaf modules (Python's float and JSON spellings) so the mlflow layer can use them without
 * loading the stores: random run names, how param values are spelled, and which registered model names
 * can be served.
 *
 * @module
 */
import { pyFloatRepr } from "./py_float.ts";
import { pyJsonDump } from "./py_json.ts";

const PREDICATES = [
  "abundant",
  "adaptable",
  "agreeable",
  "amazing",
  "ambitious",
  "bold",
  "brave",
  "bright",
  "calm",
  "capable",
  "carefree",
  "clean",
  "clever",
  "colorful",
  "confident",
  "cool",
  "curious",
  "dapper",
  "delightful",
  "dashing",
  "efficient",
  "enchanting",
  "energetic",
  "fearless",
  "fun-loving",
  "funny",
  "gentle",
  "gifted",
  "glamorous",
  "grandiose",
  "handsome",
  "honorable",
  "industrious",
  "intelligent",
  "invincible",
  "judicious",
  "kindly",
  "likeable",
  "lyrical",
  "magnificent",
  "melodic",
  "merciful",
  "nimble",
  "orderly",
  "peaceful",
  "polite",
  "powerful",
  "puzzled",
  "resilient",
  "rogue",
  "selective",
  "serious",
  "shivering",
  "skillful",
  "smiling",
  "stately",
  "sincere",
  "spiffy",
  "stylish",
  "suave",
  "thoughtful",
  "traveling",
  "trusting",
  "unequaled",
  "upbeat",
  "useful",
  "valuable",
  "victorious",
  "vaunted",
  "welcoming",
  "whimsical",
  "wise",
  "worried",
  "zealous",
];

const NOUNS = [
  "ant",
  "ape",
  "asp",
  "auk",
  "bass",
  "bat",
  "bear",
  "bee",
  "bird",
  "boar",
  "bug",
  "calf",
  "carp",
  "cat",
  "chimp",
  "cod",
  "colt",
  "conch",
  "cow",
  "crab",
  "crane",
  "croc",
  "crow",
  "cub",
  "deer",
  "doe",
  "dog",
  "dolphin",
  "donkey",
  "dove",
  "duck",
  "eel",
  "elk",
  "fawn",
  "finch",
  "fish",
  "flea",
  "fly",
  "foal",
  "fowl",
  "fox",
  "frog",
  "gnat",
  "gnu",
  "goat",
  "goose",
  "grouse",
  "grub",
  "gull",
  "hare",
  "hawk",
  "hen",
  "hog",
  "horse",
  "hound",
  "jay",
  "kit",
  "kite",
  "koi",
  "lamb",
  "lark",
  "loon",
  "lynx",
  "mare",
  "midge",
  "mink",
  "mole",
  "moose",
  "moth",
  "mouse",
  "mule",
  "newt",
  "owl",
  "ox",
  "panda",
  "penguin",
  "perch",
  "pig",
  "pug",
  "quail",
  "ram",
  "rat",
  "ray",
  "robin",
  "roo",
  "rook",
  "seal",
  "shad",
  "shark",
  "sheep",
  "shoat",
  "shrew",
  "shrike",
  "shrimp",
  "skink",
  "skunk",
  "sloth",
  "slug",
  "smelt",
  "snail",
  "snake",
  "snipe",
  "sow",
  "sponge",
  "squid",
  "squirrel",
  "stag",
  "steed",
  "stoat",
  "stork",
  "swan",
  "tern",
  "toad",
  "trout",
  "turtle",
  "vole",
  "wasp",
  "whale",
  "wolf",
  "worm",
  "wren",
  "yak",
  "zebra",
];

/**
 * A run name like MLflow's defaults: `<predicate>-<noun>-<0..999>`, for unnamed runs and
 * `${km.random_name:}` in mlflow.yml.
 *
 * @example
 * ```ts
 * randomRunName(); // e.g. "brave-owl-123"
 * ```
 */
export function randomRunName(random: () => number = Math.random): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  return `${pick(PREDICATES)}-${pick(NOUNS)}-${Math.floor(random() * 1000)}`;
}

/**
 * How a param value is stored: strings as they are, booleans as `String(x)`, numbers as Python's `str()`
 * spells them (`1e-05`; `1.0` when `float`, the value a file or `--params` gave as a float without a
 * fraction), anything else as compact JSON, with the floats a file gave written `1.0` (lib/source_keys.ts).
 *
 * @example
 * ```ts
 * paramValueToString([16, 8]); // "[16,8]"
 * paramValueToString(1, true); // "1.0"
 * ```
 */
export function paramValueToString(value: unknown, float = false): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    return !float && Number.isSafeInteger(value) && !Object.is(value, -0)
      ? String(value)
      : pyFloatRepr(value);
  }
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  try {
    return pyJsonDump(value, { separators: [",", ":"], ensureAscii: false });
  } catch {
    return JSON.stringify(value) ?? String(value); // NaN, a Map…: as before
  }
}

/**
 * Why `name` could not be served as `models:/<name>/<version>` (undefined when it can): a leading or
 * trailing space makes a look-alike of the trimmed name, and `/ : % @` or a control character cannot be
 * carried by the URI (nor by a file-store folder). MLflow's stores accept such names: kmlf refuses them
 * where it registers a model itself (`kmlf models register -n`, `registered_model_name` in a pipeline file
 * or a catalog entry, modelify's `--registered-model-name`).
 *
 * @example
 * ```ts
 * servableModelNameProblem("team/iris"); // "\"/\" cannot be part of a registered model's name (…)"
 * servableModelNameProblem("iris"); // undefined
 * ```
 */
export function servableModelNameProblem(name: string): string | undefined {
  if (name !== name.trim()) {
    return `it starts or ends with a space (a model apart from ${
      JSON.stringify(name.trim())
    }, easily mistaken for it)`;
  }
  // deno-lint-ignore no-control-regex -- refusing control characters is the point
  const bad = name.match(/[/:%@\u0000-\u001f]/)?.[0];
  if (bad === undefined) return undefined;
  return `${JSON.stringify(bad)} cannot be part of a registered model's name ` +
    "(models:/<name>/<version> could not name it)";
}
