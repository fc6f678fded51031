/**
 * Statistics for timing tests (enumeration, issue #7): is one kind of request slower than another?
 * One timing says nothing; many alternated ones, compared by ranks, do. Mann–Whitney U tells whether
 * the two samples differ at all (a p-value); the Hodges–Lehmann shift says by how much, with a
 * confidence interval — what a test asserts, so that a difference far below the network's noise
 * neither fails it by chance nor hides behind it.
 */
export interface TimingComparison {
  medianA: number;
  medianB: number;
  /** Hodges–Lehmann estimate of how much slower A is than B (ms), and its 99% interval. */
  shift: number;
  shiftLow: number;
  shiftHigh: number;
  /** Two-sided Mann–Whitney p-value (normal approximation with tie correction). */
  p: number;
}

const z99 = 2.5758;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Standard normal upper tail, via the complementary error function (Abramowitz–Stegun 7.1.26). */
function normalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

export function compareTimings(a: readonly number[], b: readonly number[]): TimingComparison {
  const m = a.length;
  const n = b.length;
  if (m < 2 || n < 2) throw new Error('compareTimings: need at least two samples each');
  // Ranks of the pooled samples, ties sharing their mean rank.
  const pooled = [...a.map((v) => ({ v, fromA: true })), ...b.map((v) => ({ v, fromA: false }))].sort((x, y) => x.v - y.v);
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < pooled.length; ) {
    let j = i;
    while (j + 1 < pooled.length && pooled[j + 1]!.v === pooled[i]!.v) j++;
    const rank = (i + j) / 2 + 1;
    const ties = j - i + 1;
    tieTerm += ties ** 3 - ties;
    for (let k = i; k <= j; k++) if (pooled[k]!.fromA) rankSumA += rank;
    i = j + 1;
  }
  const u = rankSumA - (m * (m + 1)) / 2;
  const meanU = (m * n) / 2;
  const sdU = Math.sqrt(((m * n) / 12) * (m + n + 1 - tieTerm / ((m + n) * (m + n - 1))));
  const p = sdU === 0 ? 1 : Math.min(1, 2 * normalTail(Math.abs(u - meanU) / sdU));

  // Hodges–Lehmann: the median of all pairwise differences; its interval from their order statistics.
  const diffs = new Float64Array(m * n);
  let d = 0;
  for (const x of a) for (const y of b) diffs[d++] = x - y;
  diffs.sort();
  const k = Math.max(0, Math.floor(meanU - z99 * Math.sqrt((m * n * (m + n + 1)) / 12)));
  return {
    medianA: median(a),
    medianB: median(b),
    shift: median(Array.from(diffs)),
    shiftLow: diffs[k]!,
    shiftHigh: diffs[m * n - 1 - k]!,
    p,
  };
}
