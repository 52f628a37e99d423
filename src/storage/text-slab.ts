/**
 * @module
 * Texts kept as UTF-8 bytes in shared slabs, outside the JavaScript heap. The memory store
 * keeps thousands of finished executions; as strings they were copied twice by the young-
 * generation GC and then marked on every full one, which cost a quarter of a delivery's time.
 * As bytes in a Buffer the collector moves nothing per text: where a text lies is three fields
 * of its holder (no view object per text either: making one cost more than writing the bytes).
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

/** Where a kept text's bytes lie; the holder of a text owns one (a memory-store entry is one). */
export interface SlabPlace {
  bytes: Buffer | undefined
  start: number
  end: number
}

export class TextSlab {
  #slab = Buffer.allocUnsafeSlow(SLAB_BYTES)
  #used = 0

  /** Writes the text's UTF-8 bytes and records where they lie in `place`. */
  keep(text: string, place: SlabPlace): void {
    if (text.length > LARGE_TEXT) {
      const bytes = Buffer.from(text)
      place.bytes = bytes
      place.start = 0
      place.end = bytes.length
      return
    }
    // At most 3 bytes per UTF-16 unit: room for that is room for any text of this length.
    if (SLAB_BYTES - this.#used < text.length * 3) {
      this.#slab = Buffer.allocUnsafeSlow(SLAB_BYTES)
      this.#used = 0
    }
    const start = this.#used
    this.#used += this.#slab.write(text, start)
    place.bytes = this.#slab
    place.start = start
    place.end = this.#used
  }

  read(place: SlabPlace): string {
    return place.bytes === undefined ? '' : place.bytes.toString('utf8', place.start, place.end)
  }
}
