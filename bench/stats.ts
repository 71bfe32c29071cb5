/** Figures of a list of timings, as the benchmarks report them. */

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The value below which a share `q` of them lie (the nearest rank). */
export const quantile = (values: number[], q: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];

/** Milliseconds to one decimal (or to `digits` decimals). */
export const round = (ms: number, digits = 1): number => Math.round(ms * 10 ** digits) / 10 ** digits;
