/**
 * @module
 * Texts kept as UTF-8 bytes in shared slabs, outside the JavaScript heap. The memory store
 * keeps thousands of finished executions; as strings they were copied twice by the young-
 * generation GC and then marked on every full one, which cost a quarter of a delivery's time.
 * As bytes in a slab the collector moves nothing per text: where a text lies is three fields
 * of its holder, not a view object per text.
 * Slabs are filled in order and dropped with their last holder, so texts that die in order (a
 * bounded history) free their slabs in order too; slabs are small (32 KiB), so texts kept out
 * of order (a few survivors of many deleted runs) pin little memory each.
 *
 * ```ts
 * const slab = new TextSlab()
 * const place: SlabPlace = { bytes: undefined, start: 0, end: 0 }
 * slab.keep('{"ok":true}', place)
 * slab.read(place) // '{"ok":true}'
 * ```
 */

const SLAB_BYTES = 32 * 1024
/** Longer texts get bytes of their own: a slab lives as long as its longest-kept text. */
const LARGE_TEXT = SLAB_BYTES / 4
const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Where a kept text's bytes lie; the holder of a text owns one (a memory-store entry is one). */
export interface SlabPlace {
  bytes: Uint8Array | undefined
  start: number
  end: number
}

export class TextSlab {
  #slab = new Uint8Array(SLAB_BYTES)
  #used = 0

  /** Writes the text's UTF-8 bytes and records where they lie in `place`. */
  keep(text: string, place: SlabPlace): void {
    if (text.length > LARGE_TEXT) {
      const bytes = encoder.encode(text)
      place.bytes = bytes
      place.start = 0
      place.end = bytes.length
      return
    }
    // encodeInto, not Buffer#write: the texts are concatenations, and it flattens them cheaper.
    let start = this.#used
    let { read, written } = encoder.encodeInto(text, this.#slab.subarray(start))
    if (read < text.length) {
      // Did not fit in what is left: a new slab (at most 3 bytes per code unit, so it fits).
      this.#slab = new Uint8Array(SLAB_BYTES)
      start = 0
      ;({ read, written } = encoder.encodeInto(text, this.#slab))
    }
    this.#used = start + written
    place.bytes = this.#slab
    place.start = start
    place.end = this.#used
  }

  read(place: SlabPlace): string {
    return place.bytes === undefined ? '' : decoder.decode(place.bytes.subarray(place.start, place.end))
  }
}
