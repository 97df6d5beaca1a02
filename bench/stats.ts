/** The few statistics the bench prints. */

/** The `p`-th percentile (0–100) of `values`, interpolated between the two nearest ranks. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** Median of the paired ratios b[i] / a[i] (pairs with a missing or zero side are left out). */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (Number.isFinite(a[i]) && Number.isFinite(b[i]) && a[i] !== 0) ratios.push(b[i] / a[i]);
  }
  return median(ratios);
}
