/**
 * @module
 * The Fastify plugin: one catch-all route under the trigger's `basePath` that hands each
 * request, untouched, to the shared Node bridge. It takes the request over in its own
 * `onRequest` hook, before Fastify parses anything, so no content-type parser, body limit or
 * media-type check of Fastify's can answer in the core's place; the app's parsers elsewhere are
 * left as they are.
 */
import type { FastifyPluginCallback, onRequestHookHandler } from 'fastify'
import type { WebhookTrigger } from '../../core/webhook-trigger.js'
import { serveRequest, type ServeRequestOptions } from '../node/serve-request.js'
import { triggerFor } from '../node/mount-target.js'

/**
 * What the Fastify plugin takes: the trigger, an optional `prefix` equal to its `basePath`, and failure reporting.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify'
 * import { createEngine, WebhookTrigger } from 'hookflow'
 * import hookflowFastify, { type HookflowFastifyOptions } from 'hookflow/fastify'
 *
 * const options: HookflowFastifyOptions = { trigger: new WebhookTrigger({ engine: createEngine(), basePath: '/hooks' }), prefix: '/hooks' }
 * await Fastify().register(hookflowFastify, options)
 * ```
 */
export interface HookflowFastifyOptions extends Omit<ServeRequestOptions, 'url' | 'body'> {
  /** The trigger to serve. */
  trigger: Pick<WebhookTrigger, 'fetch' | 'handles' | 'basePath'>
  /** Fastify's own register option; when given it must equal the trigger's `basePath`. */
  prefix?: string
}

/**
 * A Fastify 5 plugin that serves a trigger's webhooks, taking each request before Fastify parses it.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify'
 * import { createEngine, WebhookTrigger } from 'hookflow'
 * import { hookflowFastify } from 'hookflow/fastify'
 *
 * const app = Fastify()
 * await app.register(hookflowFastify, { trigger: new WebhookTrigger({ engine: createEngine() }) })
 * await app.listen({ port: 3000 })
 * ```
 */
export const hookflowFastify: FastifyPluginCallback<HookflowFastifyOptions> = (instance, options, done) => {
  const { trigger, prefix: _prefix, ...serveOptions } = options ?? {}
  try {
    triggerFor('the hookflow Fastify plugin (option trigger)', trigger)
    if (typeof trigger.basePath !== 'string') throw new TypeError('the hookflow Fastify plugin needs a WebhookTrigger with a basePath (option trigger)')
  } catch (error) {
    return done(error as Error)
  }
  // find-my-way reads `:` as a parameter and `::` as a literal colon.
  const prefix = instance.prefix.replaceAll('::', ':')
  const base = trigger.basePath
  if (base !== prefix && !base.startsWith(`${prefix}/`)) {
    return done(new TypeError(`hookflow: the plugin's prefix "${prefix}" must equal the trigger's basePath "${base}"`))
  }
  const rest = base.slice(prefix.length).replaceAll(':', '::')
  const onRequest: onRequestHookHandler = (request, reply, next) => {
    const url = request.raw.url ?? '/'
    const query = url.indexOf('?')
    // A path no route of the trigger can match (`/hooks/not/a/webhook`, or one a prefix with a
    // `:` Fastify took as a parameter lets in) goes on to the handler below: Fastify's own 404.
    if (!trigger.handles(query < 0 ? url : url.slice(0, query))) return next()
    // Headers earlier hooks set (CORS...) go out with the core's answer, which wins on a clash.
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value)
    reply.hijack()
    void serveRequest(trigger, request.raw, reply.raw, { ...serveOptions, url })
    // Fastify sees the hijacked reply and stops here: no parsing, no handler.
    next()
  }
  // The base path itself too, for a `trigger.path` pattern that matches it; anything else there
  // gets Fastify's 404, as Express goes on to `next()`.
  for (const url of [`${rest}/*`, rest === '' ? '/' : rest]) {
    instance.route({
      method: instance.supportedMethods,
      url,
      exposeHeadRoute: false,
      onRequest,
      handler: (_request, reply) => void reply.callNotFound(),
    })
  }
  done()
}

Object.defineProperty(hookflowFastify, Symbol.for('fastify.display-name'), { value: 'hookflow' })
