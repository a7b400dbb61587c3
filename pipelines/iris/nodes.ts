/**
 * Node functions of the iris demo: split → train a softmax-regression classifier → predict → evaluate.
 * Plain TypeScript with no dependencies, so the same file runs under `deno run` and the compiled binary.
 *
 * @module
 */

/** One row of the iris CSV as the CSV dataset loads it (numbers typed). */
export type Row = Record<string, number | string | boolean | null>;

/** Options of `params:split`. */
export interface SplitOptions {
  test_fraction: number;
  random_state: number;
}

/** Options of `params:model`. */
export interface ModelOptions {
  learning_rate: number;
  n_iter: number;
  /** Record the training loss every this many iterations (default 10). */
  log_every?: number;
}

/** A trained softmax-regression model: standardization statistics plus one weight row per class. */
export interface SoftmaxModel {
  features: string[];
  classes: string[];
  mean: number[];
  std: number[];
  /** `weights[c]` has one weight per feature followed by the bias. */
  weights: number[][];
}

/** A metric point in the shape kedro-mlflow's MlflowMetricsHistoryDataset accepts. */
export interface MetricPoint {
  value: number;
  step: number;
}

/**
 * Splits rows into train/test features and labels after a seeded shuffle.
 *
 * @example
 * ```ts
 * const [xTrain, yTrain, xTest, yTest] = splitData(rows, { test_fraction: 0.3, random_state: 42 }, "species");
 * ```
 */
export function splitData(
  rows: Row[],
  split: SplitOptions,
  target: string,
): [number[][], string[], number[][], string[]] {
  if (!(split.test_fraction > 0 && split.test_fraction < 1)) {
    throw new RangeError(`split.test_fraction must be between 0 and 1, got ${split.test_fraction}`);
  }
  if (rows.length === 0 || !(target in rows[0])) {
    throw new Error(
      `Target column "${target}" is not in the data (columns: ${Object.keys(rows[0] ?? {}).join(", ")})`,
    );
  }
  const features = Object.keys(rows[0]).filter((c) => c !== target);
  const order = shuffledIndexes(rows.length, split.random_state);
  const nTest = Math.round(rows.length * split.test_fraction);
  const pick = (idx: number[]) => ({
    x: idx.map((i) => features.map((f) => Number(rows[i][f]))),
    y: idx.map((i) => String(rows[i][target])),
  });
  const test = pick(order.slice(0, nTest));
  const train = pick(order.slice(nTest));
  return [train.x, train.y, test.x, test.y];
}

/**
 * Trains multinomial logistic regression by batch gradient descent on standardized features plus a bias.
 * Returns the model and the loss history (every `log_every` iterations, starting at step 0).
 *
 * @example
 * ```ts
 * const { model, history } = trainModel({ features: xTrain, labels: yTrain, options: { learning_rate: 0.1, n_iter: 300 } });
 * ```
 */
export function trainModel(
  args: { features: number[][]; labels: string[]; options: ModelOptions; featureNames?: string[] },
): { model: SoftmaxModel; history: { train_loss: MetricPoint[] } } {
  const { features: x, labels: y, options } = args;
  const classes = [...new Set(y)].sort();
  const n = x.length;
  const d = x[0]?.length ?? 0;
  const k = classes.length;
  const width = d + 1;
  const mean = Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + r[j], 0) / n);
  const std = mean.map((m, j) => Math.sqrt(x.reduce((s, r) => s + (r[j] - m) ** 2, 0) / n) || 1);
  // Flat typed arrays and no allocation inside the loop: the demo doubles as a startup benchmark.
  const xs = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) xs[i * width + j] = (x[i][j] - mean[j]) / std[j];
    xs[i * width + d] = 1;
  }
  const target = Int32Array.from(y, (label) => classes.indexOf(label));
  const w = new Float64Array(k * width);
  const grad = new Float64Array(k * width);
  const p = new Float64Array(k);
  const logEvery = options.log_every ?? 10;
  const history: MetricPoint[] = [];
  for (let iter = 0; iter < options.n_iter; iter++) {
    const loss = accumulateGradient(xs, target, w, grad, p, width);
    if (iter % logEvery === 0) history.push({ value: loss / n, step: iter });
    for (let q = 0; q < w.length; q++) w[q] -= (options.learning_rate * grad[q]) / n;
  }
  const weights = classes.map((_, c) => Array.from(w.subarray(c * width, (c + 1) * width)));
  const names = args.featureNames ?? mean.map((_, j) => `x${j}`);
  return { model: { features: names, classes, mean, std, weights }, history: { train_loss: history } };
}

/**
 * Predicts the most probable class of each feature row.
 *
 * @example
 * ```ts
 * const rows = predict(model, [[5.1, 3.5, 1.4, 0.2]]); // [{ prediction: "setosa", probability: 0.97 }]
 * ```
 */
export function predict(model: SoftmaxModel, x: number[][]): { prediction: string; probability: number }[] {
  return x.map((row) => {
    if (row.length !== model.mean.length) {
      throw new Error(`Expected ${model.mean.length} features per row, got ${row.length}`);
    }
    const z = [...row.map((v, j) => (v - model.mean[j]) / model.std[j]), 1];
    const p = softmax(model.weights.map((w) => dot(w, z)));
    const best = p.indexOf(Math.max(...p));
    return { prediction: model.classes[best], probability: p[best] };
  });
}

/**
 * Accuracy of predictions against true labels, in MlflowMetricsHistoryDataset's shape.
 *
 * @example
 * ```ts
 * reportAccuracy([{ prediction: "a", probability: 1 }], ["a"]); // { accuracy: { value: 1, step: 0 }, n_test: { value: 1, step: 0 } }
 * ```
 */
export function reportAccuracy(
  predictions: { prediction: string }[],
  labels: string[],
): Record<string, MetricPoint> {
  if (predictions.length !== labels.length) {
    throw new Error(`Got ${predictions.length} predictions for ${labels.length} labels`);
  }
  const correct = predictions.filter((p, i) => p.prediction === labels[i]).length;
  return {
    accuracy: { value: correct / labels.length, step: 0 },
    n_test: { value: labels.length, step: 0 },
  };
}

/**
 * Turns rows of new instances into feature rows in the model's column order.
 *
 * @example
 * ```ts
 * toFeatures(model, [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }]);
 * ```
 */
export function toFeatures(model: SoftmaxModel, instances: Row[]): number[][] {
  return instances.map((r, i) =>
    model.features.map((f) => {
      const v = Number(r[f]);
      if (!Number.isFinite(v)) throw new Error(`Instance ${i} has no numeric value for feature "${f}"`);
      return v;
    })
  );
}

/** Names of the feature columns (every column except the target), for the model. */
export function featureNames(rows: Row[], target: string): string[] {
  return Object.keys(rows[0] ?? {}).filter((c) => c !== target);
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

// One pass of batch gradient descent over every row: fills `grad`, returns the summed loss.
function accumulateGradient(
  xs: Float64Array,
  target: Int32Array,
  w: Float64Array,
  grad: Float64Array,
  p: Float64Array,
  width: number,
): number {
  grad.fill(0);
  let loss = 0;
  for (let i = 0; i < target.length; i++) loss += rowGradient(xs, i * width, target[i], w, grad, p, width);
  return loss;
}

// One row's loss, its gradient added to `grad`. The passes and the row are functions of their own because V8
// then optimizes them after a few calls: one loop nest in trainModel was optimized on the stack and left
// again at the end of each of the 300 passes (~5 ms of the demo's ~15).
function rowGradient(
  xs: Float64Array,
  row: number,
  label: number,
  w: Float64Array,
  grad: Float64Array,
  p: Float64Array,
  width: number,
): number {
  const k = p.length;
  let max = -Infinity;
  for (let c = 0; c < k; c++) {
    let z = 0;
    for (let j = 0; j < width; j++) z += w[c * width + j] * xs[row + j];
    p[c] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let c = 0; c < k; c++) sum += p[c] = Math.exp(p[c] - max);
  for (let c = 0; c < k; c++) p[c] /= sum;
  for (let c = 0; c < k; c++) {
    const err = p[c] - (c === label ? 1 : 0);
    for (let j = 0; j < width; j++) grad[c * width + j] += err * xs[row + j];
  }
  return -Math.log(Math.max(p[label], 1e-15));
}

// Fisher–Yates with mulberry32: deterministic for a given seed on every platform.
function shuffledIndexes(n: number, seed: number): number[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx;
}
