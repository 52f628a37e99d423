/**
 * @module
 * `describeStore(name, create)`: the conformance suite every store adapter runs, ours (memory,
 * SQLite) or a user's. Each test gets a fresh store from `create` and closes it afterwards.
 *
 * ```ts
 * import { describeStore } from 'hookflow/testing'
 * describeStore('redis', async () => createRedisStore({ url: process.env.REDIS_URL, prefix: randomUUID() }))
 * ```
 */
import { afterEach, beforeEach, describe } from 'vitest'
import type { Store } from '../storage/store.js'
import { contextFor } from './store-cases/fixtures.js'
import { recordCases } from './store-cases/records.js'
import { claimCases } from './store-cases/claims.js'
import { releaseCases } from './store-cases/releases.js'
import { jobCases } from './store-cases/jobs.js'
import { listingCases } from './store-cases/listing.js'
import { eventKeyWindowCases } from './store-cases/event-key-windows.js'
import { parkingCases } from './store-cases/parking.js'
import { countCases } from './store-cases/counts.js'
import { conditionalWriteCases } from './store-cases/conditional-writes.js'
import { finishingCases } from './store-cases/finishing.js'
import { claimingNextCases } from './store-cases/claiming-next.js'

/**
 * Makes a fresh, empty store.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from 'hookflow'
 * import type { CreateStore } from 'hookflow/testing'
 *
 * const create: CreateStore = () => createMemoryStore()
 * ```
 */
export type CreateStore = () => Store | Promise<Store>

/**
 * A vitest suite that holds a store adapter to the contract the engine relies on; `create` makes a fresh, empty store per test.
 *
 * @example
 * ```ts
 * import { createSqliteStore } from 'hookflow/sqlite'
 * import { describeStore } from 'hookflow/testing'
 *
 * describeStore('sqlite', () => createSqliteStore({ filename: ':memory:' }))
 * ```
 */
export function describeStore(name: string, create: CreateStore): void {
  describe(`${name} store conformance`, () => {
    let current: Store | undefined
    const context = contextFor(() => {
      if (!current) throw new Error('no store: the suite creates one before each test')
      return current
    })
    beforeEach(async () => {
      current = await create()
    })
    afterEach(async () => {
      await current?.close?.()
      current = undefined
    })

    describe('executions', () => recordCases(context))
    describe('claims', () => claimCases(context))
    describe('releasing claims', () => releaseCases(context))
    describe('jobs', () => jobCases(context))
    describe('lists and pruning', () => listingCases(context))
    describe('event key windows', () => eventKeyWindowCases(context))
    describe('parked executions', () => parkingCases(context))
    describe('counts', () => countCases(context))
    describe('writes conditioned on the claim', () => conditionalWriteCases(context))
    describe('a run\'s last write', () => finishingCases(context))
    describe('finding and claiming in one step', () => claimingNextCases(context))
  })
}
