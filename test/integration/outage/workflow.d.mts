import type { NodeType, WorkflowDefinition } from '../../../src/index.js'

export function nodeTypes(log: string, holdFile?: string, stepMs?: number): NodeType<any, any>[]
export function workflow(layout: string): WorkflowDefinition
