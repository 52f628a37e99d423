import { describe, expect, it } from 'vitest'
import { Latencies } from '../../bench/lib/latencies.js'

describe('bench Latencies', () => {
  it('gives nearest-rank percentiles in fractions of a millisecond', () => {
    const times = new Latencies()
    // 1..100 in a scrambled order, as hundredths: 0.01 .. 1.00 ms.
    for (let i = 0; i < 100; i++) times.add((((i * 37) % 100) + 1) / 100)
    expect(times.count).toBe(100)
    expect(times.percentile(50)).toBe(0.5)
    expect(times.percentile(99)).toBe(0.99)
    expect(times.percentile(100)).toBe(1)
    expect(times.percentile(0)).toBe(0.01)
  })

  it('keeps every sample past its first buffer', () => {
    const times = new Latencies()
    const count = 200_000
    for (let i = 0; i < count; i++) times.add(i === count - 1 ? 42.5 : 1.25)
    expect(times.count).toBe(count)
    expect(times.percentile(100)).toBe(42.5)
    expect(times.percentile(99)).toBe(1.25)
  })

  it('reads 0 with no samples', () => {
    expect(new Latencies().percentile(99)).toBe(0)
  })
})
