/**
 * @module
 * "Did you mean" for names a definition got nearly right: an unknown node type, config key,
 * calculator, branch or node key is matched against the names that would have been valid.
 *
 * ```ts
 * didYouMean('conditon', ['condition', 'response', 'end'])   // 'condition'
 * didYouMean('ignorefail', ['ignoreFail', 'onlyData'])       // 'ignoreFail'
 * didYouMean('colour', ['key', 'type'])                      // undefined
 * ```
 */

/** Edits (insert, delete, replace, swap of two neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0
  // Three rows of the optimal-string-alignment table are enough.
  let before = new Array<number>(b.length + 1).fill(0)
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  let current = new Array<number>(b.length + 1).fill(0)
  for (let i = 1; i <= a.length; i++) {
    current[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1)
      current[j] = best
    }
    ;[before, previous, current] = [previous, current, before]
  }
  return previous[b.length]!
}

/**
 * The valid name closest to `name`, when it is close enough to be a slip: the same letters in
 * another case, a third of the letters wrong at most, or one name the start of the other
 * (`status` for `statusCode`).
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase()
  let best: string | undefined
  let bestScore = Number.POSITIVE_INFINITY
  for (const candidate of candidates) {
    if (candidate === name) continue
    const lower = candidate.toLowerCase()
    const distance = editDistance(wanted, lower)
    const limit = Math.max(1, Math.floor(Math.max(wanted.length, lower.length) / 3))
    const prefix = Math.min(wanted.length, lower.length) >= 3 && (lower.startsWith(wanted) || wanted.startsWith(lower))
    if (distance > limit && !prefix) continue
    // A prefix match counts as two edits, so a real near miss wins over it.
    const score = distance <= limit ? distance : 2 + Math.abs(wanted.length - lower.length) / 100
    if (score < bestScore) {
      best = candidate
      bestScore = score
    }
  }
  return best
}

/** ` (did you mean "x"?)` or `` when nothing is close. */
export function suggestion(name: string, candidates: Iterable<string>): string {
  const near = didYouMean(name, candidates)
  return near === undefined ? '' : ` (did you mean "${near}"?)`
}

/** `a, b, c` (at most `max` names, then `…`), or `none`. */
export function nameList(names: readonly string[], max = 20): string {
  if (names.length === 0) return 'none'
  return names.length > max ? `${names.slice(0, max).join(', ')}, …` : names.join(', ')
}
