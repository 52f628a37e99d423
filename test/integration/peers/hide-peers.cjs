// Preloaded with `node --require`: makes the optional peers named in HOOKFLOW_HIDE_PEERS
// (comma-separated) unresolvable, as they are in an app that never installed them.
const Module = require('node:module')
const hidden = new Set((process.env.HOOKFLOW_HIDE_PEERS ?? '').split(',').filter(Boolean))
const resolve = Module._resolveFilename
Module._resolveFilename = function (request, ...rest) {
  if (hidden.has(request)) {
    const error = new Error(`Cannot find module '${request}'`)
    error.code = 'MODULE_NOT_FOUND'
    throw error
  }
  return resolve.call(this, request, ...rest)
}
