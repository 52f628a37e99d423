#!/usr/bin/env node
/**
 * @module
 * The `hookflow` command (package.json `bin`). See `hookflow --help`.
 *
 * ```sh
 * npx hookflow dev workflows/
 * npx hookflow send http://127.0.0.1:3000/api/webhook:trigger/pay --data @event.json --sign stripe --secret whsec_...
 * ```
 */
import { runCli } from './run-cli.js'

let stopping = false

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  listenForStop() {
    const controller = new AbortController()
    const onSignal = (signal: NodeJS.Signals): void => {
      // A second Ctrl-C does not wait for the clean close.
      if (stopping) process.exit(130)
      stopping = true
      controller.abort(signal)
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    return controller.signal
  },
})
