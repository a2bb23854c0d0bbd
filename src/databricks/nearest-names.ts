/**
 * How much of the wanted name is compared. The edit distance costs the product
 * of the two lengths for every known name: on a name of megabytes it would
 * hold the event loop for seconds. Model names are far shorter than this, so
 * a real typo is still found.
 */
const COMPARED_LENGTH = 128;

/** Up to `limit` known names closest to `wanted`, for "did you mean" hints in 404 answers. */
export function nearestNames(wanted: string, known: readonly string[], limit = 3): string[] {
  const target = wanted.slice(0, COMPARED_LENGTH).toLowerCase();
  return known
    .map((name) => {
      const compared = name.slice(0, COMPARED_LENGTH).toLowerCase();
      return { name, distance: editDistance(target, compared) - (compared.includes(target) ? 100 : 0) };
    })
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map(({ name }) => name);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
