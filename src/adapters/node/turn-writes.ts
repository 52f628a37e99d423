/**
 * @module
 * Answers leave once the event loop's poll phase is over, all of that turn's together (one
 * `setImmediate` for the lot), instead of each from the promise continuation that produced it.
 *
 * Why: a handler's answer arrives in a microtask, and a socket write made from there, between
 * the reads of one poll phase, cost a loaded server far more than the write itself. On
 * 2026-12-03, through `hookflow/node` at 100 connections (`bench/ab.ts`, four rounds), writing
 * at the end of the turn took server CPU per request from 118 to 79 µs (sync) and from 113 to
 * 84 µs (async), the kernel's share from 27 to 15 µs; a bare node:http handler that answers
 * from a microtask was 11% slower than one answering in its `'end'` listener, and one answering
 * from `setImmediate` 2%. An answer waits for the rest of the current turn (for the next turn's
 * check phase when it is added during a check phase); pending immediates keep that turn's poll
 * from blocking.
 *
 * ```ts
 * const writes = new TurnWrites(console.error)
 * writes.add(() => void res.end('ok'))
 * ```
 */
export class TurnWrites {
  #writes: Array<() => void> = []

  /** `onError` gets what a write threw; the turn's other writes still go out. */
  constructor(private readonly onError: (error: unknown) => void) {}

  /** Runs `write` in this turn's check phase, after every write added before it. */
  add(write: () => void): void {
    if (this.#writes.push(write) === 1) setImmediate(this.#flush)
  }

  // A throw would end the process from inside setImmediate, and skip the writes after it.
  readonly #flush = (): void => {
    const writes = this.#writes
    this.#writes = []
    for (const write of writes) {
      try {
        write()
      } catch (error) {
        this.onError(error)
      }
    }
  }
}
