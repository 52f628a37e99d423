/**
 * @module
 * A timer for a delayed id that fires only once `Date.now()` has reached the due time. Node
 * runs timers on the event loop's cached clock, so a plain `setTimeout` can fire a few ms
 * early; a claim refuses a parked execution before its `wakeAt`, and an early wake-up would
 * lose it. Each timer sleeps again for what is left, and is kept in `timers` (unref'd) so a
 * queue can clear them on close.
 *
 * ```ts
 * sleepUntil(Date.now() + 5_000, sleeping, () => queue.add(id))
 * ```
 */
import { LONGEST_TIMER } from '../engine/long-timeout.js'

export function sleepUntil(due: number, timers: Set<ReturnType<typeof setTimeout>>, wake: () => void): void {
  const timer = setTimeout(
    () => {
      timers.delete(timer)
      if (Date.now() < due) sleepUntil(due, timers, wake)
      else wake()
    },
    // Past the longest Node timer it sleeps that long and looks again (a longer one fires at once).
    Math.min(Math.max(due - Date.now(), 0), LONGEST_TIMER),
  )
  // A sleeping execution alone does not keep the process alive.
  timer.unref?.()
  timers.add(timer)
}
