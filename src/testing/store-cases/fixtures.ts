/**
 * @module
 * Records for the store and queue suites: a queued execution by default, any field overridden.
 * Creation times are handed out in order (one millisecond apart) so the suites never depend on
 * the clock, and an `at` override places a record anywhere in time.
 */
import { randomUUID } from 'node:crypto'
import type { JobRecord } from '../../engine/execution.js'
import type { NewExecution, Store } from '../../storage/store.js'

/** A time long past, so expired claims and `since` filters never meet the real clock. */
export const T0 = 1_700_000_000_000

export interface StoreContext {
  /** The store under test, fresh for each test. */
  store(): Store
  /** A new execution record, created later than every one before it. */
  execution(overrides?: Partial<NewExecution>): NewExecution
  /** Creates `execution(overrides)` and returns it. */
  stored(overrides?: Partial<NewExecution>): Promise<NewExecution>
}

export function contextFor(store: () => Store): StoreContext {
  let clock = T0
  const execution = (overrides: Partial<NewExecution> = {}): NewExecution => ({
    id: randomUUID(),
    workflowKey: 'orders',
    eventKey: null,
    sync: false,
    status: 'queued',
    reason: null,
    context: { headers: {}, query: {}, body: {}, params: {} },
    response: null,
    error: null,
    createdAt: ++clock,
    startedAt: null,
    finishedAt: null,
    attempts: 0,
    ...overrides,
  })
  return {
    store,
    execution,
    async stored(overrides) {
      const record = execution(overrides)
      const result = await store().executions.create(record)
      if (!result.created) throw new Error(`the suite's execution ${record.id} was not created`)
      return record
    },
  }
}

export function job(index: number, overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    index,
    nodeKey: `node-${index}`,
    type: 'test.step',
    status: 'resolved',
    result: { step: index },
    error: null,
    startedAt: T0 + index,
    finishedAt: T0 + index + 1,
    ...overrides,
  }
}

/** A claim at a fixed time, so a test decides when it expires. */
export function claimAt(now: number, owner = 'worker-a', leaseMs = 1000): { owner: string; leaseMs: number; now: number } {
  return { owner, leaseMs, now }
}
