/**
 * BullMQ refuses custom job ids that contain `:` or read as an integer, and treats an id
 * already in the queue as the same job. Execution ids map to job ids that are never either,
 * one to one, and always the same for the same execution: an id enqueued twice while its job
 * waits is one job.
 */

/**
 * The job that runs an execution now.
 *
 * @example
 * ```ts
 * import { bullmqJobId } from 'hookflow/bullmq'
 *
 * bullmqJobId('ex:1') // 'x-ex%3A1'
 * ```
 */
export function bullmqJobId(executionId: string): string {
  if (executionId.length === 0) throw new TypeError('An execution id must not be empty')
  // The `x-` prefix keeps an all-digit id from reading as an integer; percent-encoding turns
  // every `:` (and `%`, so the mapping stays one to one) into letters and digits.
  return `x-${encodeURIComponent(executionId)}`
}

/**
 * The job that runs an execution once `dueAt` (epoch ms) has passed. It is a separate job from
 * the one for "now": an execution that parks itself while its own job is still active would
 * otherwise be folded into that job and lost when it completes. `#` is always percent-encoded
 * in the first part, so no execution id can produce this id.
 *
 * @example
 * ```ts
 * import { bullmqDelayedJobId } from 'hookflow/bullmq'
 *
 * bullmqDelayedJobId('ex-1', 1_700_000_000_000) // 'x-ex-1#1700000000000'
 * ```
 */
export function bullmqDelayedJobId(executionId: string, dueAt: number): string {
  return `${bullmqJobId(executionId)}#${dueAt}`
}
