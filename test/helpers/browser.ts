/**
 * @module
 * Headless Chromium for the browser tests: Debian's `chromium` package driven by
 * playwright-core, or a skip with a printed reason when it is not installed. With
 * `HOOKFLOW_REQUIRE_BROWSER=1` (CI) a missing browser fails the file instead.
 *
 * ```ts
 * const browser = await browserService()
 * describe.skipIf(!browser)('the page', () => { ... })
 * ```
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, chromium } from 'playwright-core'
import { afterAll } from 'vitest'

export const CHROMIUM = process.env.HOOKFLOW_CHROMIUM ?? '/usr/bin/chromium'

/** Screenshots and other test artifacts: ignored by git. */
export const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname

export async function browserService(): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM)) {
    const reason = `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set HOOKFLOW_CHROMIUM)`
    if (process.env.HOOKFLOW_REQUIRE_BROWSER === '1') throw new Error(`${reason}, and HOOKFLOW_REQUIRE_BROWSER=1`)
    console.warn(`Skipping the browser tests: ${reason}.`)
    return undefined
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  afterAll(() => browser.close())
  return browser
}

/** Where a screenshot named `name` goes (the folder is made). */
export function artifact(name: string): string {
  const dir = join(ARTIFACTS, 'inspector')
  mkdirSync(dir, { recursive: true })
  return join(dir, name)
}
