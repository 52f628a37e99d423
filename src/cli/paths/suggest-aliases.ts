/**
 * @module
 * Short, unique aliases for variable paths: the last named segment in camelCase, with as many
 * parent segments in front as it takes to tell paths apart.
 *
 * ```ts
 * suggestAliases(['a', 'b', 'b.c', 'customer.name', 'product.name'])
 * // ['a', 'b', 'c', 'customerName', 'productName']
 * ```
 */
import { parsePath, type PathSegment } from '../../engine/templates/path.js'

function words(segment: PathSegment): string[] {
  return typeof segment === 'number' ? [String(segment)] : segment.split(/[^A-Za-z0-9]+/).filter(Boolean)
}

function camel(segments: readonly PathSegment[]): string {
  const all = segments.flatMap(words)
  return all.map((word, i) => (i === 0 ? word.charAt(0).toLowerCase() + word.slice(1) : word.charAt(0).toUpperCase() + word.slice(1))).join('')
}

/** An alias from the last `count` segments, grown until it starts with a letter. */
function aliasOf(segments: readonly PathSegment[], count: number): { alias: string; count: number } {
  let taken = Math.min(count, segments.length)
  let alias = camel(segments.slice(-taken))
  while ((alias === '' || !/^[A-Za-z_$]/.test(alias)) && taken < segments.length) alias = camel(segments.slice(-++taken))
  return { alias: alias || segments.map(String).join('_'), count: taken }
}

export function suggestAliases(paths: readonly string[]): string[] {
  const segments = paths.map((path) => parsePath(path))
  const counts = segments.map(() => 1)
  let aliases = segments.map((path, i) => aliasOf(path, counts[i]!))
  for (let round = 0; round < 64; round++) {
    const byAlias = new Map<string, number[]>()
    aliases.forEach(({ alias }, i) => byAlias.set(alias, [...(byAlias.get(alias) ?? []), i]))
    let grew = false
    for (const indexes of byAlias.values()) {
      if (indexes.length < 2) continue
      for (const i of indexes) {
        if (aliases[i]!.count < segments[i]!.length) {
          counts[i] = aliases[i]!.count + 1
          grew = true
        }
      }
    }
    if (!grew) break
    aliases = segments.map((path, i) => aliasOf(path, counts[i]!))
  }
  return aliases.map(({ alias }) => alias)
}
