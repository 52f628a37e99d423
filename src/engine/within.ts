/**
 * @module
 * Small helpers for the engine's bounded waits: `within` races a promise against a deadline
 * without rejecting, so `start()` and `close()` can go on when a store or queue never answers.
 *
 * ```ts
 * if (!(await within(queue.close(), 2000))) log('the queue did not close in time')
 * ```
 */

export function positiveInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value > 0)) throw new TypeError(`${name} must be a positive integer, got ${String(value)}`)
  return value
}

/** Resolves true when `promise` settled within `ms`, false when the time ran out first. */
export async function within(promise: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  if (!promise) return true
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(ms, 0))
  })
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout])
  } finally {
    clearTimeout(timer)
  }
}
