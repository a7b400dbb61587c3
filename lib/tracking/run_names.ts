/**
 * Random run names in MLflow's style, `<adjective>-<noun>-<0..999>` (e.g. `bold-ant-123`), given to
 * runs created without a name.
 *
 * @module
 */

const ADJECTIVES = (
  "able agile amazing bold brave bright calm capable clean clever crisp curious daring eager fast " +
  "fearless gentle glamorous grand honest humble keen kind likeable lucky merciful nimble polite " +
  "quick quiet rare sincere skillful smiling stylish sunny tasteful thoughtful unique upbeat " +
  "vaunted victorious wise witty youthful zealous"
).split(" ");

const NOUNS = (
  "ant ape asp auk bass bat bear bee bird boar bug calf carp cat chimp cod colt conch cow crab " +
  "crane croc crow cub deer doe dog dolphin donkey dove duck eel elk fawn finch fish flea fly foal " +
  "fowl fox frog gnat gnu goat goose grouse grub gull hare hawk hen hog horse hound jay kit kite " +
  "koi lamb lark loon lynx mare midge mink mole moose moth mouse mule newt owl ox panda penguin " +
  "perch pig pug quail ram rat ray robin roo rook seal shad shark sheep shoat shrew shrike shrimp " +
  "skink skunk sloth slug smelt snail snake snipe sow sponge squid squirrel stag steed stoat stork " +
  "swan tern toad trout turtle vole wasp whale wolf worm wren yak zebra"
).split(" ");

/**
 * A random run name like MLflow's.
 *
 * @example
 * ```ts
 * randomRunName(); // e.g. "sunny-owl-427"
 * ```
 */
export function randomRunName(): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)];
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${Math.floor(Math.random() * 1000)}`;
}

/**
 * A new run id: 32 lowercase hex characters (uuid4 hex, like MLflow).
 *
 * @example
 * ```ts
 * newRunId(); // "9cbcbf180edd44728f11c457696f7fd1"
 * ```
 */
export function newRunId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}
