import { describe, expect, it } from 'vitest'
import { type SlabPlace, TextSlab } from '../../src/storage/text-slab.js'

const place = (): SlabPlace => ({ bytes: undefined, start: 0, end: 0 })

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
    const kept = texts.map((text) => {
      const where = place()
      slab.keep(text, where)
      return where
    })
    texts.forEach((text, i) => expect(slab.read(kept[i]!)).toBe(text))
  })

  it('keeps texts apart: writing more never changes bytes handed out before', () => {
    const slab = new TextSlab()
    const first = place()
    slab.keep('first', first)
    const copy = Uint8Array.from(first.bytes!.subarray(first.start, first.end))
    for (let i = 0; i < 500; i++) slab.keep('x'.repeat(1_000), place())
    expect(Uint8Array.from(first.bytes!.subarray(first.start, first.end))).toEqual(copy)
    expect(slab.read(first)).toBe('first')
  })

  it('reads an empty text, and a place never written, as empty', () => {
    const slab = new TextSlab()
    const empty = place()
    slab.keep('', empty)
    expect(slab.read(empty)).toBe('')
    expect(slab.read(place())).toBe('')
  })
})
