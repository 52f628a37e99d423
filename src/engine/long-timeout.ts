/**
 * @module
 * `setTimeout` for any delay. Node fires a timer longer than 2^31 - 1 ms (about 24.8 days) after
 * 1 ms, with a warning, so a workflow timeout or a retry backoff past that would have struck at
 * once. Longer waits are taken in steps of at most that length.
 *
 * ```ts
 * const cancel = longTimeout(() => abort(), 40 * 86_400_000)
 * cancel() // before it fires: it never will
 * ```
 */

/** setTimeout's largest delay. */
export const LONGEST_TIMER = 2 ** 31 - 1

/** Calls `callback` once `ms` have passed; returns the cancel. Up to the longest timer it is one setTimeout. */
export function longTimeout(callback: () => void, ms: number): () => void {
  if (!(ms > LONGEST_TIMER)) {
    const timer = setTimeout(callback, ms)
    return () => clearTimeout(timer)
  }
  let cancel = longTimeout(() => {
    cancel = longTimeout(callback, ms - LONGEST_TIMER)
  }, LONGEST_TIMER)
  return () => cancel()
}
