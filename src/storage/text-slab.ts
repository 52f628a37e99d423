/**
 * @module
 * Texts kept as UTF-8 bytes in shared slabs, outside the JavaScript heap. The memory store
 * keeps thousands of finished executions; as strings they were copied twice by the young-
 * generation GC and then marked on every full one, which cost a quarter of a delivery's time.
 * As bytes in a slab the collector moves nothing per text: where a text lies is three fields
 * of its holder, not a view object per text.
 * Slabs are filled in order and count the texts they hold; a slab whose texts were all
 * released is written again instead of allocating a new one (a new 32 KiB buffer, with the
 * GC's bookkeeping for memory outside the heap, cost a tenth of keeping a run in the history).
 * A slab still holding a text is never written again, so a text that is never released (or a
 * holder that is dropped without releasing) only keeps its slab from being reused.
 *
 * ```ts
 * const slab = new TextSlab()
 * const place: SlabPlace = { slab: undefined, start: 0, end: 0 }
 * slab.keep('{"ok":true}', place)
 * slab.read(place) // '{"ok":true}'
 * slab.release(place) // its bytes may be written again
 * ```
 */

const SLAB_BYTES = 32 * 1024
/** Longer texts get bytes of their own: a slab lives as long as its longest-kept text. */
const LARGE_TEXT = SLAB_BYTES / 4
/** Emptied slabs kept for reuse; past this they are left to the GC. */
const SPARE_SLABS = 32
const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Bytes and how many kept texts lie in them. */
export class Slab {
  live = 0
  constructor(readonly bytes: Uint8Array) {}
}

/** Where a kept text's bytes lie; the holder of a text owns one (a memory-store entry is one). */
export interface SlabPlace {
  slab: Slab | undefined
  start: number
  end: number
}

export class TextSlab {
  #current = new Slab(new Uint8Array(SLAB_BYTES))
  #used = 0
  readonly #spare: Slab[] = []

  /** Writes the text's UTF-8 bytes and records where they lie in `place`. */
  keep(text: string, place: SlabPlace): void {
    if (text.length > LARGE_TEXT) {
      const bytes = encoder.encode(text)
      place.slab = new Slab(bytes)
      place.slab.live = 1
      place.start = 0
      place.end = bytes.length
      return
    }
    // encodeInto, not Buffer#write: the texts are concatenations, and it flattens them cheaper.
    let start = this.#used
    let { read, written } = encoder.encodeInto(text, this.#current.bytes.subarray(start))
    if (read < text.length) {
      // Did not fit in what is left: another slab (at most 3 bytes per code unit, so it fits).
      const full = this.#current
      this.#current = this.#spare.pop() ?? new Slab(new Uint8Array(SLAB_BYTES))
      if (full.live === 0 && this.#spare.length < SPARE_SLABS) this.#spare.push(full)
      start = 0
      ;({ read, written } = encoder.encodeInto(text, this.#current.bytes))
    }
    this.#used = start + written
    this.#current.live++
    place.slab = this.#current
    place.start = start
    place.end = this.#used
  }

  read(place: SlabPlace): string {
    return place.slab === undefined ? '' : decoder.decode(place.slab.bytes.subarray(place.start, place.end))
  }

  /** The text at `place` is no longer needed; `place` reads as empty from now on. */
  release(place: SlabPlace): void {
    const slab = place.slab
    if (slab === undefined) return
    place.slab = undefined
    if (--slab.live > 0 || slab === this.#current) return
    if (slab.bytes.length === SLAB_BYTES && this.#spare.length < SPARE_SLABS) this.#spare.push(slab)
  }
}
