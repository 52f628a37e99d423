/**
 * @module
 * A job as the JSON text every store keeps.
 *
 * ```ts
 * jobText(job) // '{"index":0,"nodeKey":"ok",...}'
 * ```
 */
import type { JobRecord } from '../engine/execution.js'

// Stores keep JSON; a result that is not (a BigInt, a cycle) is recorded as missing, not lost.
export function jobText(job: JobRecord): string {
  try {
    return JSON.stringify(job)
  } catch (error) {
    const note = { message: `The job result could not be stored as JSON: ${(error as Error).message}` }
    return JSON.stringify({ ...job, result: null, error: job.error ?? note })
  }
}
