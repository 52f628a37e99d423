/**
 * @module
 * The page and its two files, served from the package itself: `<basePath>/` (HTML),
 * `<basePath>/assets/inspector.js` and `<basePath>/assets/inspector.css`. No CDN, no build step
 * for the user, nothing fetched from anywhere else: it works offline.
 *
 * ```ts
 * pageAsset('/assets/inspector.js') // a Response with the script, or undefined for another path
 * ```
 */
import { PAGE_HTML } from './page-html.js'
import { PAGE_SCRIPT } from './page-script.js'
import { PAGE_STYLE } from './page-style.js'

const encoder = new TextEncoder()

interface Asset {
  type: string
  bytes: Uint8Array
}

/** Paths under the base path, and what each serves. */
export const PAGE_ASSETS: ReadonlyMap<string, Asset> = new Map([
  ['/', { type: 'text/html; charset=utf-8', bytes: encoder.encode(PAGE_HTML) }],
  ['/assets/inspector.js', { type: 'text/javascript; charset=utf-8', bytes: encoder.encode(PAGE_SCRIPT) }],
  ['/assets/inspector.css', { type: 'text/css; charset=utf-8', bytes: encoder.encode(PAGE_STYLE) }],
])

/**
 * The page's size in bytes, all three files together.
 *
 * @example
 * ```ts
 * import { PAGE_SIZE } from 'hookflow/inspector'
 *
 * console.log(`the inspector page weighs ${Math.round(PAGE_SIZE / 1024)} KiB`)
 * ```
 */
export const PAGE_SIZE = [...PAGE_ASSETS.values()].reduce((total, asset) => total + asset.bytes.byteLength, 0)

/** The answer for `rest` (the path after the base path), or undefined when it is no page file. */
export function pageAsset(rest: string): Response | undefined {
  const asset = PAGE_ASSETS.get(rest)
  if (!asset) return undefined
  return new Response(asset.bytes.slice(), { status: 200, headers: { 'content-type': asset.type } })
}
