/**
 * @module
 * Deadlines of one length, all on one timer. Sync answers each wait at most `trigger.timeout`;
 * a timer per request (setTimeout, then clearTimeout once answered) was about a fourteenth of a
 * sync delivery's cost in process. Deadlines of one length fall due in the order they were
 * set, so a queue holds them and one timer waits for the oldest one still open. The timer keeps
 * the process alive only while a deadline is open, as a timer of its own would.
 *
 * ```ts
 * const deadline = deadlinesOf(30_000).add(() => console.log('too late'))
 * deadline.cancel() // answered in time
 * ```
 */
import { LONGEST_TIMER } from '../engine/long-timeout.js'

export interface Deadline {
  /** Before the deadline: it will not fire. After it: nothing. */
  cancel(): void
}

const NOTHING = (): void => undefined

class Entry implements Deadline {
  open = true
  constructor(
    readonly due: number,
    public onDue: () => void,
    private readonly owner: Deadlines,
  ) {}

  cancel(): void {
    if (!this.open) return
    this.open = false
    // Holds nothing of its waiter while it waits in the queue to be swept.
    this.onDue = NOTHING
    this.owner.closed()
  }
}

export class Deadlines {
  #queue: Entry[] = []
  #head = 0
  #open = 0
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(readonly ms: number) {}

  /** Calls `onDue` once `ms` have passed, unless cancelled first. */
  add(onDue: () => void): Deadline {
    const entry = new Entry(performance.now() + this.ms, onDue, this)
    this.#queue.push(entry)
    if (++this.#open === 1) {
      if (this.#timer === undefined) this.#arm(this.ms)
      else this.#timer.ref()
    }
    return entry
  }

  /** An entry was cancelled: swept at once when nothing open is ahead of it. */
  closed(): void {
    if (--this.#open === 0) {
      this.#queue = []
      this.#head = 0
      this.#timer?.unref()
      return
    }
    const queue = this.#queue
    while (!queue[this.#head]!.open) this.#head++
    // Behind a long wait, cancelled entries pile up: kept at most about twice the open ones.
    const kept = queue.length - this.#head
    if (kept > 1024 && kept > 2 * this.#open) {
      this.#queue = queue.slice(this.#head).filter((entry) => entry.open)
      this.#head = 0
    }
  }

  #arm(delay: number): void {
    // Node fires a longer timer at once (with a warning): past the longest one, wait that long and look again.
    this.#timer = setTimeout(() => this.#fire(), Math.min(Math.max(Math.ceil(delay), 1), LONGEST_TIMER))
    if (this.#open === 0) this.#timer.unref()
  }

  #fire(): void {
    this.#timer = undefined
    const now = performance.now()
    const due: Entry[] = []
    while (this.#head < this.#queue.length) {
      const entry = this.#queue[this.#head]!
      if (entry.open && entry.due > now) break
      this.#head++
      if (entry.open) {
        entry.open = false
        this.#open--
        due.push(entry)
      }
    }
    if (this.#head === this.#queue.length) {
      this.#queue = []
      this.#head = 0
    } else this.#arm(this.#queue[this.#head]!.due - now)
    // Last: what a waiter does when its time is up cannot disturb the queue mid-sweep.
    for (const entry of due) entry.onDue()
  }
}

const byLength = new Map<number, Deadlines>()

/** The shared deadlines of length `ms`. */
export function deadlinesOf(ms: number): Deadlines {
  let deadlines = byLength.get(ms)
  if (deadlines === undefined) {
    deadlines = new Deadlines(ms)
    byLength.set(ms, deadlines)
  }
  return deadlines
}
