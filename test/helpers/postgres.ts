/**
 * @module
 * The real Postgres for integration tests, or a skip with a printed reason. The URL comes from
 * `HOOKFLOW_PG_URL`; without it the local server is tried as `postgres`, then as `root` (trust
 * auth). With `HOOKFLOW_REQUIRE_SERVICES=1` an unreachable server fails the file instead.
 *
 * ```ts
 * const postgres = await postgresService()
 * describe.skipIf(!postgres)('the Postgres store', () => {
 *   const schema = testSchema('store') // dropped after the file, with the pool
 * })
 * ```
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll } from 'vitest'

export interface PostgresService {
  url: string
  /** A pool for the test file's own use; ended after the file. */
  pool: pg.Pool
}

const CANDIDATES = process.env.HOOKFLOW_PG_URL
  ? [process.env.HOOKFLOW_PG_URL]
  : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test']

async function reachable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return undefined
  } catch (error) {
    return `${url.replace(/\/\/[^@/]*@/, '//…@')}: ${(error as Error).message}`
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** The service, or undefined (with the reason printed) when no candidate answers. */
export async function postgresService(): Promise<PostgresService | undefined> {
  const problems: string[] = []
  for (const url of CANDIDATES) {
    const problem = await reachable(url)
    if (problem === undefined) {
      const pool = new pg.Pool({ connectionString: url, max: 4 })
      const service: PostgresService = { url, pool }
      // Registered here, at collection: a hook registered inside a test would never run.
      afterAll(async () => {
        for (const name of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`)
        await pool.end()
      })
      return service
    }
    problems.push(problem)
  }
  const reason = `Postgres is not reachable (${problems.join('; ')})`
  if (process.env.HOOKFLOW_REQUIRE_SERVICES === '1') throw new Error(`${reason}, and HOOKFLOW_REQUIRE_SERVICES=1`)
  console.warn(`Skipping the Postgres tests: ${reason}. Set HOOKFLOW_PG_URL to run them.`)
  return undefined
}

/** This test file's schemas (each file runs in its own module graph). */
const schemas = new Set<string>()

/**
 * A fresh schema name, dropped (with everything in it) after the test file. Callable anywhere:
 * in a test, or in a describe body that is skipped.
 */
export function testSchema(label: string): string {
  const name = `hookflow_test_${label}_${randomBytes(4).toString('hex')}`
  schemas.add(name)
  return name
}
