/**
 * @module
 * Keeps an engine's workflows in step with definition files: loads a file, registers what it
 * defines, unregisters what it no longer defines, and reports every problem with its JSON
 * Pointer into the file instead of throwing. A definition that fails keeps its last good
 * version running, so a typo while editing never takes a workflow down.
 *
 * ```ts
 * const files = new WorkflowFiles(engine, { cwd })
 * const change = await files.load('/app/workflows/orders.json')
 * // { file, registered: [definition...], removed: ['old-key'], problems: [{ file, pointer, message }] }
 * ```
 */
import { oneLine } from '../cli-errors.js'
import type { Engine } from '../../engine/engine.js'
import type { WorkflowDefinition } from '../../engine/definition.js'
import { WorkflowDefinitionError } from '../../engine/workflow-definition-error.js'
import { DefinitionFileError, loadDefinitionFile } from './load-definition-file.js'

export interface FileProblem {
  file: string
  /** JSON Pointer into the file's value (`/1/nodes/0/type` for the second definition of an array). */
  pointer: string
  message: string
}

export interface FileChange {
  file: string
  registered: WorkflowDefinition[]
  removed: string[]
  /** Keys whose new definition failed: their last good version keeps running. */
  kept: string[]
  problems: FileProblem[]
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export class WorkflowFiles {
  readonly #engine: Engine
  readonly #cwd: string
  /** file → the keys it registered */
  readonly #files = new Map<string, Set<string>>()
  /** key → the file that defines it */
  readonly #owners = new Map<string, string>()
  /** key → the trigger id generated for a definition without one, kept across reloads so its URL stays. */
  readonly #generatedIds = new Map<string, string>()

  constructor(engine: Engine, options: { cwd: string }) {
    this.#engine = engine
    this.#cwd = options.cwd
  }

  /** The file that defines `key`, if any. */
  fileOf(key: string): string | undefined {
    return this.#owners.get(key)
  }

  async load(file: string): Promise<FileChange> {
    const change: FileChange = { file, registered: [], removed: [], kept: [], problems: [] }
    const problem = (pointer: string, message: string): void => void change.problems.push({ file, pointer, message })
    let value: unknown
    try {
      value = await loadDefinitionFile(file, { cwd: this.#cwd })
    } catch (error) {
      if (!(error instanceof DefinitionFileError)) throw error
      problem('', error.message)
      return change
    }
    if (!isObject(value) && !Array.isArray(value)) {
      problem('', 'holds neither a workflow definition (an object) nor an array of them')
      return change
    }
    const items: Array<[string, unknown]> = Array.isArray(value) ? value.map((item, i) => [`/${i}`, item]) : [['', value]]
    const before = this.#files.get(file) ?? new Set<string>()
    const kept = new Set<string>()
    for (const [prefix, item] of items) {
      if (!isObject(item)) {
        problem(prefix, 'is not a workflow definition (an object)')
        continue
      }
      const key = typeof item.key === 'string' ? item.key : undefined
      const owner = key === undefined ? undefined : this.#owners.get(key)
      if (key !== undefined && owner !== undefined && owner !== file) {
        problem(`${prefix}/key`, `workflow "${key}" is already defined in ${owner}`)
        continue
      }
      if (key !== undefined && kept.has(key)) {
        problem(`${prefix}/key`, `workflow "${key}" is defined twice in this file`)
        continue
      }
      try {
        const registered = this.#engine.register(this.#withKeptId(key, item) as unknown as WorkflowDefinition)
        if (key !== undefined && isObject(item.trigger) && item.trigger.id === undefined && item.trigger.path === undefined && registered.trigger.id) {
          this.#generatedIds.set(key, registered.trigger.id)
        }
        change.registered.push(registered)
        kept.add(registered.key)
        this.#owners.set(registered.key, file)
      } catch (error) {
        if (WorkflowDefinitionError.is(error)) for (const p of error.problems) problem(`${prefix}${p.path}`, p.message)
        else problem(prefix, oneLine(error))
        // The last good version of this key stays registered.
        if (key !== undefined && before.has(key)) {
          kept.add(key)
          change.kept.push(key)
        }
      }
    }
    for (const key of before) {
      if (kept.has(key)) continue
      this.#engine.unregister(key)
      this.#owners.delete(key)
      change.removed.push(key)
    }
    this.#files.set(file, kept)
    return change
  }

  /** The file is gone: its workflows go with it. */
  remove(file: string): FileChange {
    const change: FileChange = { file, registered: [], removed: [], kept: [], problems: [] }
    for (const key of this.#files.get(file) ?? []) {
      this.#engine.unregister(key)
      this.#owners.delete(key)
      change.removed.push(key)
    }
    this.#files.delete(file)
    return change
  }

  #withKeptId(key: string | undefined, item: Record<string, unknown>): Record<string, unknown> {
    const trigger = item.trigger
    const kept = key === undefined ? undefined : this.#generatedIds.get(key)
    if (kept === undefined || !isObject(trigger) || trigger.id !== undefined || trigger.path !== undefined) return item
    return { ...item, trigger: { ...trigger, id: kept } }
  }
}
