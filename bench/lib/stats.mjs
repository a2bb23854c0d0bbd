// Percentiles and the median-of-runs summaries every figure is reported as.

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const median = (values) => percentile(values, 50);

/** `{median, min, max, runs}` of one figure measured once per run. */
export function summarize(values) {
  const finite = values.filter((value) => Number.isFinite(value));
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite), runs: finite.length };
}

/** Summaries of every numeric key of a list of per-run records (same keys in each). */
export function summarizeRuns(runs) {
  const keys = Object.keys(runs[0] ?? {}).filter((key) => typeof runs[0][key] === 'number');
  return Object.fromEntries(keys.map((key) => [key, summarize(runs.map((run) => run[key]))]));
}
