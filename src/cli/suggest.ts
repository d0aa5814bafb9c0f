// "Did you mean …?" for a mistyped command, flag or check id, as git, npm and eslint answer one:
// the closest known name by edit distance (fastest-levenshtein), when it is close enough to be a
// typo rather than another word.
import { distance } from 'fastest-levenshtein';

/** The known name closest to `input`, or null when none is within a typo's reach. */
export function closest(input: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = input.toLowerCase();
  for (const name of known) {
    const d = distance(lower, name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  // A third of the word, at least 2 edits: `dignose` → diagnose, `--htlm` → --html; `foo` → nothing.
  const reach = Math.max(2, Math.floor(input.length / 3));
  return best !== null && best !== input && bestDistance <= reach ? best : null;
}

/** `" (did you mean 'diagnose'?)"`, or '' when no known name is close. */
export function didYouMean(input: string, known: readonly string[]): string {
  const best = closest(input, known);
  return best === null ? '' : ` (did you mean '${best}'?)`;
}
