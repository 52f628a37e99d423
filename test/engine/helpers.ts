/**
 * Shared helpers for the engine and node tests: catching a definition error, gates that
 * hold a node until the test releases it, and waiting on the event loop (never on a clock).
 */
import { expect } from 'vitest'
import { defineNode, WorkflowDefinitionError } from '../../src/index.js'
import type { DefinitionProblem, Engine, ExecutionRecord, WorkflowDefinition } from '../../src/index.js'

// RFC 6901: '' or a sequence of '/'-prefixed tokens where '~' only appears as ~0 or ~1.
const JSON_POINTER = /^(?:\/(?:[^~/]|~[01])*)*$/

/** Registers `definition` expecting one WorkflowDefinitionError; returns its problems. */
export function definitionProblems(engine: Engine, definition: unknown): DefinitionProblem[] {
  let caught: unknown
  try {
    engine.register(definition as WorkflowDefinition)
  } catch (error) {
    caught = error
  }
  expect(caught, 'register should have thrown').toBeDefined()
  expect((caught as Error).name).toBe('WorkflowDefinitionError')
  expect(WorkflowDefinitionError.is(caught)).toBe(true)
  const problems = (caught as WorkflowDefinitionError).problems
  expect(problems.length).toBeGreaterThan(0)
  for (const problem of problems) {
    expect(problem.path).toMatch(JSON_POINTER)
    expect(typeof problem.message).toBe('string')
  }
  return [...problems]
}

export function problemPaths(engine: Engine, definition: unknown): string[] {
  return definitionProblems(engine, definition).map((problem) => problem.path)
}

export interface Gate {
  readonly promise: Promise<void>
  open(): void
}

export function gate(): Gate {
  let open!: () => void
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  return { promise, open }
}

/** Lets the event loop turn `turns` times (I/O and timers of 0 ms included). */
export async function turns(count = 20): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

/** Turns the event loop until `predicate` holds; fails after `limit` turns. */
export async function until(predicate: () => boolean, limit = 1000): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (predicate()) return
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
  throw new Error('condition not reached')
}

/** A node type that returns its rendered config, so tests can see what a node received. */
export const echoNode = defineNode<Record<string, unknown>, Record<string, unknown>>({
  type: 'test.echo',
  run: ({ config }) => config,
})

/** Triggers, waits for the engine to go idle, and returns the stored execution with its jobs. */
export async function runToEnd(engine: Engine, key: string, context: Parameters<Engine['trigger']>[1] = {}): Promise<ExecutionRecord> {
  const created = await engine.trigger(key, context)
  await engine.idle()
  const execution = await engine.getExecution(created.id)
  expect(execution).toBeDefined()
  return execution as ExecutionRecord
}

/** A minimal valid async workflow around `nodes`. */
export function workflow(key: string, nodes: unknown[] = [], extra: Record<string, unknown> = {}): WorkflowDefinition {
  return { key, trigger: { type: 'webhook', id: `id-${key}` }, nodes, ...extra } as WorkflowDefinition
}
