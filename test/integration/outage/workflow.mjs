/**
 * The workflow of the crash and outage tests, as plain objects (node types need no import):
 * `step` nodes append `<executionId> <nodeKey> <pid>` to a log file per run, so a test counts
 * how often each node of each execution ran and where; `hold` waits while a file exists, so
 * a test can kill a process while its runs are held. LAYOUT `hold`: hold first, then three
 * steps; `plain`: three steps, each taking `STEP_MS` (default 5 ms).
 */
import { appendFileSync, existsSync } from 'node:fs'

export function nodeTypes(log, holdFile, stepMs = 5) {
  const step = {
    type: 'crash.step',
    run: async ({ node, execution }) => {
      appendFileSync(log, `${execution.id} ${node.key} ${process.pid}\n`)
      if (stepMs > 0) await new Promise((resolve) => setTimeout(resolve, stepMs))
      return node.key
    },
  }
  const hold = {
    type: 'crash.hold',
    run: () =>
      new Promise((resolve) => {
        const check = () => (holdFile && existsSync(holdFile) ? void setTimeout(check, 20) : resolve('released'))
        check()
      }),
  }
  return [step, hold]
}

export function workflow(layout) {
  const steps = ['one', 'two', 'three'].map((key) => ({ key, type: 'crash.step' }))
  const nodes = layout === 'hold' ? [{ key: 'hold', type: 'crash.hold' }, ...steps] : steps
  return { key: 'crash', trigger: { type: 'webhook', id: 'crash' }, nodes }
}
