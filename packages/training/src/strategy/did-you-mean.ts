/**
 * The candidate closest to `word` by edit distance, when it is close enough to be a likely typo (at
 * most a third of the word's length, and at least 1 edit, so `trainng` finds `training`), or
 * undefined. Case is ignored.
 * @internal
 */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) {
      best = { name: candidate, distance };
    }
  }
  return best?.name;
}

/** `; did you mean "x"?` for {@link closestName}'s answer, or '' when there is none. @internal */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closestName(word, candidates);
  return match === undefined ? '' : `; did you mean "${match}"?`;
}

/** Levenshtein distance, with an adjacent swap counted as one edit (Damerau, restricted). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}
