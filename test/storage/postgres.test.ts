import { beforeAll, describe } from 'vitest'
import { createPostgresStore } from '../../src/storage/postgres/index.js'
import { describeQueue, describeStore } from '../../src/testing/index.js'
import { postgresService, testSchema } from '../helpers/postgres.js'

// The real server: one schema for this file, emptied before each test, dropped afterwards.
const postgres = await postgresService()

describe.skipIf(!postgres)('postgres', () => {
  const service = postgres!
  const schema = testSchema('conformance')
  beforeAll(async () => {
    const store = createPostgresStore({ pool: service.pool }, { schema })
    await store.migrate()
    await store.close()
  })
  const empty = async (): Promise<void> => {
    await service.pool.query(`TRUNCATE "${schema}".executions, "${schema}".jobs`)
  }

  // A pool the test owns: the store must leave it open when it closes.
  describeStore('postgres', async () => {
    await empty()
    return createPostgresStore({ pool: service.pool }, { schema })
  })

  // A pool the store makes and ends.
  describeQueue(
    'postgres',
    async ({ concurrency, pollIntervalMs }) => {
      await empty()
      const store = createPostgresStore({ connectionString: service.url, max: 4 }, { schema })
      return { queue: store.createQueue({ concurrency, pollIntervalMs }), store }
    },
    { durable: true },
  )
})
