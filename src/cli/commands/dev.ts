/**
 * @module
 * `hookflow dev <file or folder>...`: serves a folder of workflow definitions on
 * 127.0.0.1, durable by default (SQLite `hookflow.db`), prints every workflow's URL and one
 * line per delivery, and re-registers a file when it changes. A definition error is reported
 * with its JSON Pointer and the last good version keeps running. SIGINT / SIGTERM close the
 * server, the watchers and the engine, and the command exits 0.
 *
 * ```sh
 * hookflow dev workflows/ --nodes nodes.ts --port 3000
 * ```
 */
import type { Command } from '../command.js'

const HELP = `Usage: hookflow dev <file or folder>... [options]

Serves workflow definitions for development: every workflow's URL is printed, each delivery
gets one line (time, workflow, status code, execution status, duration, execution id), and a
changed file is registered again without a restart. A definition with a mistake is reported
with its JSON Pointer; its last good version keeps running.

Definition files: .json, .js/.mjs/.cjs (default export), .ts/.mts/.cts (default export;
needs tsx: npm install -D tsx). Each holds a workflow definition or an array of them. A
folder serves the definition files directly in it.

Options:
  --port <n>          default 3000 (0 picks a free port)
  --host <address>    default 127.0.0.1 (only this machine); 0.0.0.0 for every interface
  --db <file>         the SQLite database executions are kept in (default hookflow.db;
                      needs better-sqlite3)
  --memory            keep executions in memory instead (lost when dev stops)
  --pg <url>          keep executions in Postgres instead (the schema is migrated first)
  --schema <name>     with --pg: the schema (default hookflow)
  --nodes <module>    custom node types: a module exporting defineNode(...) objects, or
                      arrays of them; repeat for more
  --json              one JSON object per event on stdout (workflow, problem, listening,
                      delivery, unregistered, log, closed)
  -h, --help          this help

Ctrl-C (SIGINT) or SIGTERM stops the server cleanly; what is still queued stays in a durable
store for the next start.`

export const devCommand: Command = {
  name: 'dev',
  summary: 'Serve a folder of workflow definitions, reloading them as they change',
  help: HELP,
  options: {
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    db: { type: 'string' },
    memory: { type: 'boolean' },
    pg: { type: 'string' },
    schema: { type: 'string' },
    nodes: { type: 'string', multiple: true },
  },
  async run(args, context) {
    const { runDev } = await import('../dev/run-dev.js')
    return runDev(args, context)
  },
}
