import { describe, expect, it } from 'vitest'
import { randomId, timeOrderedId } from '../../src/engine/random-id.js'

describe('ids', () => {
  it('makes execution ids that are UUID v7 and sort by creation time', () => {
    const early = timeOrderedId(1_700_000_000_000)
    const late = timeOrderedId(1_700_000_000_001)
    expect(early).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(early < late).toBe(true)
    expect(early.slice(0, 13).replace('-', '')).toBe((1_700_000_000_000).toString(16).padStart(12, '0'))
  })

  it('makes distinct ids within one millisecond, each with that millisecond in front', () => {
    const ids = [1, 2, 3].flatMap((ms) => Array.from({ length: 500 }, () => timeOrderedId(1_700_000_000_000 + ms)))
    expect(new Set(ids).size).toBe(1500)
    expect(ids[0]!.slice(0, 13)).toBe(ids[499]!.slice(0, 13))
    expect(ids[500]!.slice(0, 13)).not.toBe(ids[0]!.slice(0, 13))
    expect(timeOrderedId(1_700_000_000_001).slice(0, 13)).toBe(ids[0]!.slice(0, 13))
  })

  it('writes every 48-bit time, and spreads its random digits over every value', () => {
    expect(timeOrderedId(2 ** 48 - 1).slice(0, 13)).toBe('ffffffff-ffff')
    expect(timeOrderedId(0).slice(0, 13)).toBe('00000000-0000')
    expect(timeOrderedId(0x0123456789ab).slice(0, 13)).toBe('01234567-89ab')
    const ids = Array.from({ length: 5_000 }, () => timeOrderedId(1_700_000_000_000))
    // Each random digit position (past the pool's refills, every 256 ids) takes all its values.
    for (const at of [15, 16, 17, 20, 21, 22, ...Array.from({ length: 12 }, (_, i) => 24 + i)]) {
      expect(new Set(ids.map((id) => id[at])).size, `digit ${at}`).toBe(16)
    }
    expect(new Set(ids.map((id) => id[19]))).toEqual(new Set(['8', '9', 'a', 'b']))
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('makes trigger ids of 22 base64url characters that do not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => randomId()))
    expect(ids.size).toBe(1000)
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/)
  })
})
