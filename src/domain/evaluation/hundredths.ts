/**
 * Scores are kept in integer hundredths of a point, so that the explanation lines of a score add up to
 * exactly the score shown (DESIGN.md §2: every computed score explains itself line by line). Each line
 * is rounded once, half away from zero; totals are plain integer sums.
 */

/** Points (up to two decimals, as typed or configured) to hundredths. */
export function toH(points: number): number {
  return Math.round(points * 100);
}

export function fromH(h: number): number {
  return h / 100;
}

/**
 * a / b rounded half away from zero, for integers. IEEE division is correctly rounded, so truncating
 * it is exact for the small integers used here (an exact integer quotient is representable).
 */
export function divRound(a: number, b: number): number {
  if (b === 0) throw new RangeError("division by zero");
  const q = Math.trunc(a / b);
  const r = a - q * b;
  const sign = Math.sign(a) * Math.sign(b);
  return 2 * Math.abs(r) >= Math.abs(b) ? q + sign : q;
}

/** "96.00" */
export function formatH(h: number): string {
  const sign = h < 0 ? "-" : "";
  const abs = Math.abs(h);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** "+3.00" / "-0.50" / "0.00", for explanation lines. */
export function signedH(h: number): string {
  return h > 0 ? `+${formatH(h)}` : formatH(h);
}
