import { describe, expect, it } from 'vitest'
import { type SlabPlace, TextSlab } from '../../src/storage/text-slab.js'

const place = (): SlabPlace => ({ slab: undefined, start: 0, end: 0 })

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
    const copy = Uint8Array.from(first.slab!.bytes.subarray(first.start, first.end))
    for (let i = 0; i < 500; i++) slab.keep('x'.repeat(1_000), place())
    expect(Uint8Array.from(first.slab!.bytes.subarray(first.start, first.end))).toEqual(copy)
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

describe('TextSlab release', () => {
  // Fills slabs with 1,000-byte texts until `count` texts are kept.
  const fill = (slab: TextSlab, count: number) =>
    Array.from({ length: count }, (_, i) => {
      const where = place()
      slab.keep(`${String(i).padStart(4, '0')}${'x'.repeat(996)}`, where)
      return where
    })

  it('writes a slab again once every text in it was released', () => {
    const slab = new TextSlab()
    const kept = fill(slab, 100) // about three slabs of 32 texts
    const first = kept[0]!.slab!
    const inFirst = kept.filter((where) => where.slab === first)
    expect(inFirst.length).toBeGreaterThan(10)
    for (const where of inFirst) slab.release(where)
    const more = fill(slab, 40)
    expect(more.some((where) => where.slab === first)).toBe(true)
    // What was kept elsewhere is untouched.
    kept.filter((where) => where.slab !== undefined).forEach((where) => expect(slab.read(where)).toMatch(/^\d{4}x{996}$/))
    more.forEach((where, i) => expect(slab.read(where)).toBe(`${String(i).padStart(4, '0')}${'x'.repeat(996)}`))
  })

  it('never writes over a text still kept, and reads a released place as empty', () => {
    const slab = new TextSlab()
    const kept = fill(slab, 100)
    const first = kept[0]!.slab!
    const survivor = kept.find((where) => where.slab === first && where !== kept[0])!
    for (const where of kept) if (where.slab === first && where !== survivor) slab.release(where)
    slab.release(kept[0]!) // twice: nothing more happens
    const more = fill(slab, 200)
    expect(more.every((where) => where.slab !== first)).toBe(true)
    expect(slab.read(survivor)).toMatch(/^\d{4}x{996}$/)
    expect(slab.read(kept[0]!)).toBe('')
  })
})
