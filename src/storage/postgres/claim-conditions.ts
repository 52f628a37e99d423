/**
 * @module
 * The SQL conditions of a conditional write (`WriteConditions`): a running execution's writes
 * apply only while its worker holds the claim, and a cancel only while the execution is not final.
 */

/** The execution is running and claimed by the owner at `param` (a write of its run). */
export const HELD_BY = (param: string): string => `status = 'started' AND owner = ${param}`

/** Not final: how a cancel is stored. */
export const UNFINISHED = `status IN ('queued', 'started')`
