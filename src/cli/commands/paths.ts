/**
 * @module
 * `hookflow paths <sample.json | - | URL>`: the variable paths of a JSON body sample, or of a
 * URL's query string, with suggested aliases; a table, or with `--json` the `trigger.request`
 * entries to paste into a definition.
 *
 * ```sh
 * hookflow paths event.json
 * curl -s https://example.com/sample | hookflow paths - --json
 * hookflow paths 'http://localhost:3000/api/webhook:trigger/abc?query[0][a]=1'
 * ```
 */
import type { Command } from '../command.js'

const HELP = `Usage: hookflow paths <sample.json | - | URL> [--json]

The variable paths of a sample delivery, as the trigger editor lists them: every path into a
JSON body sample (a file, or - for stdin), or into the query string of a URL (http://...,
/path?..., or ?a=1). Each path gets a suggested alias.

Prints a table of paths, aliases, types and sample values, then the trigger.request entries
to paste into a definition. With --json, prints only those entries:
  { "body": [{ "key": "b.c", "alias": "c" }, ...] }   (or "query" for a URL)

Options:
  --json        the trigger.request JSON only
  -h, --help    this help`

export const pathsCommand: Command = {
  name: 'paths',
  summary: 'List the variable paths of a JSON sample or a URL query, with aliases',
  help: HELP,
  options: {},
  async run(args, context) {
    const { runPaths } = await import('../paths/run-paths.js')
    return runPaths(args, context)
  },
}
