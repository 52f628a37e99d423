import { describe, expect, it } from 'vitest'
import { TextSlab } from '../../src/storage/text-slab.js'

describe('TextSlab', () => {
  it('reads back every text it kept, across slab boundaries, in any script and at any size', () => {
    const slab = new TextSlab()
    const texts: string[] = []
    for (let i = 0; i < 2_000; i++) {
      const unit = ['a', 'ü', '日', '🎉', '"\\\n'][i % 5]!
      // Sizes around the point where a text stops sharing a slab, and small ones between.
      const length = i % 97 === 0 ? 8_000 + (i % 400) : (i * 37) % 700
      texts.push(`${i}:${unit.repeat(length)}`)
    }
    const kept = texts.map((text) => slab.keep(text))
    texts.forEach((text, i) => expect(slab.read(kept[i]!)).toBe(text))
  })

  it('keeps texts apart: writing more never changes bytes handed out before', () => {
    const slab = new TextSlab()
    const first = slab.keep('first')
    const copy = Uint8Array.from(first)
    for (let i = 0; i < 500; i++) slab.keep('x'.repeat(1_000))
    expect(first).toEqual(copy)
    expect(slab.read(first)).toBe('first')
  })
})
