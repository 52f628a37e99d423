/**
 * Response times as the load generator saw them, kept whole so percentiles come out in
 * fractions of a millisecond. autocannon's own histogram counts whole milliseconds: at these
 * speeds a p99 of 10 ms against 5 read as exactly 2.00x, whatever fractions the times had.
 *
 * ```ts
 * const times = new Latencies()
 * times.add(0.84)
 * times.percentile(99) // 0.84
 * ```
 */
export class Latencies {
  #values = new Float64Array(1 << 16)
  #count = 0

  get count(): number {
    return this.#count
  }

  /** One response time, in ms. */
  add(ms: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2)
      grown.set(this.#values)
      this.#values = grown
    }
    this.#values[this.#count++] = ms
  }

  /** The nearest-rank percentile in ms (the smallest time at or above `p`% of all); 0 with none. */
  percentile(p: number): number {
    if (this.#count === 0) return 0
    const sorted = this.#values.subarray(0, this.#count).sort()
    return sorted[Math.min(Math.max(Math.ceil((p / 100) * this.#count), 1), this.#count) - 1]!
  }
}
