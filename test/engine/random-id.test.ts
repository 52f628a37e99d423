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

  it('makes trigger ids of 22 base64url characters that do not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => randomId()))
    expect(ids.size).toBe(1000)
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/)
  })
})
