/**
 * hookflow: webhook-triggered workflows for any server that speaks Fetch.
 *
 * ```ts
 * import { createEngine, WebhookTrigger } from 'hookflow'
 *
 * const engine = createEngine()
 * engine.register({
 *   key: 'payment-callback', sync: true,
 *   trigger: { type: 'webhook', id: 'pay', basicAuthentication: { username: 'webhook', password: 'secret' } },
 *   nodes: [{ key: 'ok', type: 'response', config: { statusCode: 200, body: { id: '{{$context.body.id}}' } } }],
 * })
 * const trigger = new WebhookTrigger({ engine })
 * const response = await trigger.fetch(new Request('http://localhost/api/webhook:trigger/pay', { method: 'POST' }))
 * ```
 *
 * @module hookflow
 */
export { createEngine, builtInNodeTypes, type CreateEngineOptions } from './create-engine.js'
export {
  Engine,
  type Dispatch,
  type DispatchOptions,
  type EngineOptions,
  type RetentionOptions,
  type ListExecutionsOptions,
  type SyncSettlement,
  type TriggerOptions,
} from './engine/engine.js'
export type { RunResult } from './engine/run-workflow.js'
export type { EngineEvents } from './engine/events.js'
export { defineNode, type NodeType, type NodeRunArgs, type NodeFlow, type ConfigProblem, type ConfigSchema, type ConfigFromSchema } from './engine/node-type.js'
export type { BranchOutcome, BranchRunOptions, RunLimits, TemplatePart } from './engine/node-type.js'
export type { RetryPolicy } from './engine/node-retry.js'
export type { WorkflowWarning } from './engine/compile-workflow.js'
export { IterationLimitError } from './engine/run-frame.js'
export { defineWorkflow } from './engine/definition.js'
export type * from './engine/definition.js'
export {
  EXECUTION_STATUSES,
  type ExecutionRecord,
  type ExecutionStatus,
  type JobRecord,
  type JobStatus,
  type AbortReason,
  type TriggerContext,
  type ResponseDescription,
  type ErrorInfo,
} from './engine/execution.js'
export { ExecutionAbort } from './engine/execution-abort.js'
export { WorkflowDefinitionError, type DefinitionProblem } from './engine/workflow-definition-error.js'
export { StorageUnavailableError } from './engine/storage-unavailable-error.js'
export { WorkflowNotFoundError } from './engine/workflow-not-found-error.js'
export { HookflowError } from './errors/hookflow-error.js'
export { LOG_LEVELS, type Logger, type LogFields, type LogLevel } from './engine/logging/logger.js'
export { createConsoleLogger, type ConsoleLoggerOptions } from './engine/logging/console-logger.js'
export type { TelemetryOptions } from './engine/telemetry/engine-telemetry.js'
export type { TraceCarrier } from './engine/telemetry/trace-carrier.js'
export { compileTemplate } from './engine/templates/compile-template.js'
export { getPath, parsePath } from './engine/templates/path.js'

export {
  WebhookTrigger,
  DEFAULT_BASE_PATH,
  DEFAULT_BODY_LIMIT,
  type WebhookTriggerOptions,
} from './core/webhook-trigger.js'
export type { TriggerVariable } from './core/trigger-variables.js'
export type { Authenticator, AuthenticateInfo } from './core/auth/authenticator.js'
export { REMOTE_ADDRESS } from './http/fast-request.js'
export { inferBodyPaths, inferQueryPaths } from './core/infer-paths.js'

export type * from './storage/store.js'
export type * from './queue/queue.js'
export { createMemoryStore, type MemoryStoreOptions } from './storage/memory-store.js'
export { createMemoryQueue, type MemoryQueueOptions } from './queue/memory-queue.js'
export { conditionNode } from './nodes/condition.js'
export { responseNode } from './nodes/response.js'
export { endNode } from './nodes/end.js'
export { DEFAULT_BODY_TIMEOUT } from './core/webhook-trigger.js'
export { DEFAULT_HEADER_LIMIT, DEFAULT_QUERY_LIMIT } from './core/limits/request-limits.js'
export type { RawBody } from './core/body/parse-raw.js'
export type { MultipartFile } from './core/body/parse-multipart.js'
export { loopNode, type LoopConfig, type LoopCondition, type LoopResult, type LoopScope } from './nodes/loop.js'
export { parallelNode, type ParallelConfig, type ParallelMode, type ParallelResult } from './nodes/parallel.js'
export { delayNode, type DelayConfig, type DelayResult } from './nodes/delay.js'
export {
  createRequestNode,
  requestNode,
  type BinaryData,
  type RequestConfig,
  type RequestNodeOptions,
  type RequestResult,
  type ResolveHost,
} from './nodes/request.js'
export { multiConditionsNode, type MultiConditionsConfig } from './nodes/multi-conditions.js'
export { calculationNode, createCalculationNode, type CalculationConfig, type CalculationNodeOptions } from './nodes/calculation.js'
export { variableNode, type VariableConfig } from './nodes/variable.js'
export { jsonQueryNode, type JsonQueryConfig } from './nodes/json-query.js'
export { createCodeNode, type CodeFunction, type CodeFunctionArgs, type CodeConfig } from './nodes/code.js'
export {
  compileExpression,
  DEFAULT_EXPRESSION_BUDGET,
  ExpressionError,
  type CompiledExpression,
  type ExpressionBudget,
  type ExpressionErrorCode,
} from './nodes/expression/index.js'
