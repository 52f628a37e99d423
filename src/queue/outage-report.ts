/**
 * @module
 * How a store or queue tells of its failures: once per outage, not once per failed call. The
 * first failure goes to the `onError` it was given (a process warning when none) and to the
 * engine's reporter, which writes one log line; successes go to the reporter, which ends the
 * outage at the first one after a quiet second. A failure the engine's log already has is not
 * also a process warning.
 *
 * ```ts
 * const report = new OutageReport('store', options.onError)
 * queue.reportOutages = (outages) => report.attach(outages)
 * try { await poll(); report.recovered() } catch (error) { report.failed(error) }
 * ```
 */
import type { OutageReporter, Outages } from './queue.js'

export class OutageReport {
  #failing = false
  #reporter: OutageReporter | undefined

  constructor(
    private readonly side: keyof Outages,
    private readonly onError?: (error: Error) => void,
  ) {}

  attach(outages: Outages): void {
    this.#reporter = outages[this.side]
  }

  get failing(): boolean {
    return this.#failing
  }

  failed(error: Error): void {
    if (this.#failing) return
    this.#failing = true
    if (this.onError) this.onError(error)
    if (this.#reporter) this.#reporter.failed(error)
    else if (!this.onError) process.emitWarning(error)
  }

  /** A success: every one goes to the engine's reporter (which ends its outage after a quiet second). */
  recovered(): void {
    this.#failing = false
    this.#reporter?.recovered()
  }
}
