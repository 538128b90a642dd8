// Small statistics for timing samples.

export function sorted(xs) {
  return [...xs].sort((a, b) => a - b);
}

/** Nearest-rank percentile (p in 0..100) of a non-empty sample. */
export function percentile(xs, p) {
  if (!xs.length) return NaN;
  const s = sorted(xs);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length, Math.max(1, rank)) - 1];
}

export const median = (xs) => percentile(xs, 50);
export const min = (xs) => Math.min(...xs);
export const max = (xs) => Math.max(...xs);

export function summary(xs) {
  return { n: xs.length, min: min(xs), p50: median(xs), p95: percentile(xs, 95), max: max(xs) };
}
