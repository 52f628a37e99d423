/**
 * @module
 * The jobs of a run on a durable store. Each is kept back as it is recorded and saved before
 * the next node runs (`beforeNode`), so a resumed run still continues after its last saved job;
 * the ones kept when the run ends (its last) go with its final state or its park in one write
 * (`executions.finish`): a round trip less per execution. A save the store fails, or refuses
 * (the claim was lost), abandons the run.
 *
 * ```ts
 * const saves = new JobSaves(store, id, { owner }, run, (jobs) => jobs.forEach(report))
 * processExecution({ ..., onJob: saves.onJob, beforeNode: saves.beforeNode })
 * const last = await saves.last() // stored with the end, then saves.stored(last)
 * ```
 */
import type { Store } from '../storage/store.js'
import type { JobRecord } from './execution.js'
import { type HeldRun, RunAbandoned } from './run-claims.js'
import { StorageUnavailableError } from './storage-unavailable-error.js'

export class JobSaves {
  #kept: JobRecord[] = []
  #saving: Promise<void> | undefined

  constructor(
    private readonly store: Store,
    private readonly id: string,
    private readonly held: { owner: string },
    private readonly run: HeldRun,
    /** Jobs now stored: reported (events, telemetry), in order. */
    readonly stored: (jobs: readonly JobRecord[]) => void,
  ) {}

  /** Keeps a job back; nothing more is kept once the run was abandoned (another worker may resume it). */
  readonly onJob = (job: JobRecord): Promise<void> | undefined => {
    if (this.run.abandoned) return Promise.reject(this.run.abandoned)
    this.#kept.push(job)
    return undefined
  }

  /** Saves the jobs kept so far; a node waits for it (and for a save on its way) before it runs. */
  readonly beforeNode = (): Promise<void> | undefined => {
    if (this.#kept.length === 0) return this.#saving
    const jobs = this.#kept
    this.#kept = []
    const saving = this.#saving ? this.#saving.then(() => this.#save(jobs)) : this.#save(jobs)
    this.#saving = saving
    saving.then(
      () => {
        if (this.#saving === saving) this.#saving = undefined
      },
      () => undefined,
    )
    return saving
  }

  /** The jobs not saved yet, once the saves on their way are done: the run's last, to store with its end. */
  async last(): Promise<JobRecord[]> {
    if (this.#saving) await this.#saving
    const jobs = this.#kept
    this.#kept = []
    return jobs
  }

  async #save(jobs: JobRecord[]): Promise<void> {
    const { run, id } = this
    const node = jobs[jobs.length - 1]!.nodeKey
    let saved: boolean | void
    try {
      saved = await this.store.jobs.save(id, jobs, this.held)
    } catch (error) {
      const failure = new StorageUnavailableError(`The job of node "${node}" of execution ${id} could not be saved`, error)
      run.abandon(new RunAbandoned('store-failed', failure.message, failure))
      throw run.abandoned
    }
    if (saved === false) {
      run.abandon(new RunAbandoned('claim-lost', `The job of node "${node}" of execution ${id} was refused: the claim was lost`))
      throw run.abandoned
    }
    this.stored(jobs)
  }
}
