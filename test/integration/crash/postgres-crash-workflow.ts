/**
 * The workflow and node types of the Postgres crash tests, shared by the child process that
 * gets killed and the engine in the test process that takes its work over.
 */
import { appendFileSync, existsSync } from 'node:fs'
import { defineNode, type AnyWorkflowDefinition as WorkflowDefinition } from '../../../src/index.js'

export function crashNodeTypes(log: string, holdFile: string) {
  const step = defineNode({
    type: 'crash.step',
    run: ({ node, execution }) => {
      appendFileSync(log, `${execution.id} ${node.key}\n`)
      return node.key
    },
  })
  const hold = defineNode({
    type: 'crash.hold',
    run: () =>
      new Promise<string>((resolve) => {
        const check = (): void => (existsSync(holdFile) ? void setTimeout(check, 10) : resolve('released'))
        check()
      }),
  })
  return [step, hold]
}

/** `hold` first: every run waits while the hold file exists. `plain`: steps only. */
export function crashWorkflow(layout: string): WorkflowDefinition {
  const steps = ['one', 'two', 'three'].map((key) => ({ key, type: 'crash.step' }))
  const nodes = layout === 'hold' ? [{ key: 'hold', type: 'crash.hold' }, ...steps] : steps
  return { key: 'crash', trigger: { type: 'webhook', id: 'crash' }, nodes }
}
