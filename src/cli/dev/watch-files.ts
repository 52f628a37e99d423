/**
 * @module
 * Watches the folders and files given to `dev` and calls back once per changed definition
 * file, after its writes settle. Folders are watched rather than files, so an editor that
 * saves by writing a new file and renaming it over the old one is still seen.
 *
 * ```ts
 * const watcher = watchFiles({ folders: ['/app/workflows'], files: [] }, (file) => reload(file))
 * watcher.close()
 * ```
 */
import { watch, type FSWatcher } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { isDefinitionFile } from './definition-files.js'

export interface Watcher {
  close(): void
}

/** How long a file must stay quiet before it is read: editors write in several steps. */
const SETTLE_MS = 75

export function watchFiles(
  targets: { folders: readonly string[]; files: readonly string[] },
  onChange: (file: string) => void,
  options: { ignore?: ReadonlySet<string>; onError?: (error: Error) => void } = {},
): Watcher {
  // Per folder: every definition file in it, or only the files named.
  const folders = new Map<string, Set<string> | 'all'>()
  for (const folder of targets.folders) folders.set(folder, 'all')
  for (const file of targets.files) {
    const dir = dirname(file)
    const wanted = folders.get(dir)
    if (wanted === 'all') continue
    if (wanted) wanted.add(basename(file))
    else folders.set(dir, new Set([basename(file)]))
  }
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  const watchers: FSWatcher[] = []
  const settle = (file: string): void => {
    clearTimeout(timers.get(file))
    timers.set(file, setTimeout(() => {
      timers.delete(file)
      onChange(file)
    }, SETTLE_MS))
  }
  for (const [folder, wanted] of folders) {
    const watcher = watch(folder, (_event, name) => {
      if (!name) return
      const file = join(folder, name.toString())
      if (options.ignore?.has(file)) return
      if (wanted === 'all' ? isDefinitionFile(name.toString()) : wanted.has(name.toString())) settle(file)
    })
    watcher.on('error', (error) => options.onError?.(error))
    watchers.push(watcher)
  }
  return {
    close() {
      for (const watcher of watchers) watcher.close()
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
    },
  }
}
