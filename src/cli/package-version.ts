/**
 * @module
 * hookflow's own version, read from its package.json: the nearest one named `hookflow` above
 * this file, wherever the bundler put the file.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let depth = 0; depth < 6; depth++) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string }
      if (manifest.name === 'hookflow' && typeof manifest.version === 'string') return manifest.version
    } catch {
      // No package.json here: look further up.
    }
    dir = dirname(dir)
  }
  return 'unknown'
}
