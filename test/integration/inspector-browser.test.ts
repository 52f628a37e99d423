import type { BrowserContext, Dialog, Page } from 'playwright-core'
import { describe, expect, it, onTestFinished } from 'vitest'
import { ADMIN, type InspectorApp, serveInspector } from '../helpers/inspector.js'
import { artifact, browserService } from '../helpers/browser.js'

// The inspector page in headless Chromium, against a real server: deliveries arrive over a
// real socket while the page watches. Screenshots go to test-artifacts/inspector/.

const browser = await browserService()
const WAIT = 15_000

describe.skipIf(!browser)('the inspector page in Chromium', { timeout: 60_000 }, () => {
  async function openPage(app: InspectorApp): Promise<{ page: Page; dialogs: Dialog[] }> {
    const context: BrowserContext = await browser!.newContext({
      httpCredentials: { username: ADMIN.username, password: ADMIN.password },
      viewport: { width: 1360, height: 900 },
    })
    onTestFinished(() => context.close())
    const page = await context.newPage()
    const dialogs: Dialog[] = []
    page.on('dialog', (dialog) => {
      dialogs.push(dialog)
      void dialog.dismiss()
    })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    onTestFinished(() => expect(errors, 'errors on the page (CSP violations included)').toEqual([]))
    await page.goto(`${app.url}/hookflow/`)
    await page.locator('#live[data-state="live"]').waitFor({ timeout: WAIT })
    await page.locator('#workflows tr[data-key="orders"]').waitFor({ timeout: WAIT })
    return { page, dialogs }
  }

  const row = (page: Page, id: string) => page.locator(`#executions tr.execution[data-id="${id}"]`)

  it('shows deliveries made over a real socket in the list as they happen', async () => {
    const app = await serveInspector()
    const { page } = await openPage(app)
    expect(await page.locator('#executions tr.execution').count()).toBe(0)
    const ids: string[] = []
    for (const amount of [50, 500, 5000]) {
      ids.push((await app.deliver('orders', { amount })).headers.get('x-execution-id')!)
      await row(page, ids.at(-1)!).waitFor({ timeout: WAIT })
    }
    for (const id of ids) await row(page, id).and(page.locator('[data-status="resolved"]')).waitFor({ timeout: WAIT })
    expect(await page.locator('#executions tr.execution').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))).toEqual(ids.reverse())
    await page.locator('#workflows tr[data-key="orders"] .counts').getByText('resolved 3').waitFor({ timeout: WAIT })
    await page.screenshot({ path: artifact('list.png'), fullPage: true })
  })

  it('shows an execution\'s nodes in order, with the branch taken and each result, when one is clicked', async () => {
    const app = await serveInspector()
    const { page } = await openPage(app)
    const id = (await app.deliver('orders', { amount: 500 })).headers.get('x-execution-id')!
    await row(page, id).and(page.locator('[data-status="resolved"]')).waitFor({ timeout: WAIT })
    await row(page, id).click()
    await page.locator(`#execution-section[data-id="${id}"]`).waitFor({ timeout: WAIT })
    const jobs = page.locator('#jobs li.job')
    await expect.poll(() => jobs.evaluateAll((items) => items.map((item) => item.getAttribute('data-node')))).toEqual(['big', 'note'])
    const big = page.locator('#jobs li.job[data-node="big"]')
    expect(await big.locator('.branch').textContent()).toBe('\u2192 true')
    expect(await big.getAttribute('data-status')).toBe('resolved')
    const note = page.locator('#jobs li.job[data-node="note"]')
    expect(await note.textContent()).toContain('in big \u203a true')
    expect(await note.locator('pre').last().textContent()).toBe(JSON.stringify({ noted: 500 }, null, 2))
    expect(await page.locator('#execution-context').textContent()).toContain('"amount": 500')
    await page.screenshot({ path: artifact('execution.png'), fullPage: true })
  })

  it('retries a failed run from the page, and shows it resolve', async () => {
    const app = await serveInspector()
    const { page } = await openPage(app)
    const id = (await app.deliver('flaky', {})).headers.get('x-execution-id')!
    await row(page, id).and(page.locator('[data-status="error"]')).waitFor({ timeout: WAIT })
    await row(page, id).click()
    const section = page.locator(`#execution-section[data-id="${id}"]`)
    await section.and(page.locator('[data-status="error"]')).waitFor({ timeout: WAIT })
    expect(await page.locator('#jobs li.job[data-node="shaky"] .error-text').textContent()).toContain('fails the first time')
    await page.locator('[data-action="retry"]').click()
    await section.and(page.locator('[data-status="resolved"]')).waitFor({ timeout: WAIT })
    await row(page, id).and(page.locator('[data-status="resolved"]')).waitFor({ timeout: WAIT })
    expect(app.flakyCalls()).toBe(2)
    expect(await page.locator('[data-action="retry"]').isDisabled()).toBe(true)
    await page.screenshot({ path: artifact('retried.png'), fullPage: true })
  })

  it('replays an execution from the page and opens the replay', async () => {
    const app = await serveInspector()
    const { page } = await openPage(app)
    const id = (await app.deliver('orders', { amount: 7 })).headers.get('x-execution-id')!
    await row(page, id).and(page.locator('[data-status="resolved"]')).waitFor({ timeout: WAIT })
    await row(page, id).click()
    await page.locator(`#execution-section[data-id="${id}"]`).waitFor({ timeout: WAIT })
    await page.locator('[data-action="replay"]').click()
    await page.locator('#execution-facts').getByRole('button', { name: id }).waitFor({ timeout: WAIT })
    const replayId = await page.locator('#execution-section').getAttribute('data-id')
    expect(replayId).not.toBe(id)
    expect((await app.engine.getExecution(replayId!))?.replayOf).toBe(id)
    await row(page, replayId!).locator('.replay').waitFor({ timeout: WAIT })
  })

  it('shows a body holding markup and script as text, and runs none of it', async () => {
    const app = await serveInspector()
    const { page, dialogs } = await openPage(app)
    const hostile = { name: '<img src=x onerror=alert(1)>', script: '<script>alert(2)</script>', '<b onmouseover=alert(3)>key</b>': 1 }
    const id = (await app.deliver('echo', hostile, { 'x-source': '<img src=y onerror=alert(4)>' })).headers.get('x-execution-id')!
    await row(page, id).and(page.locator('[data-status="resolved"]')).waitFor({ timeout: WAIT })
    await row(page, id).click()
    await page.locator(`#execution-section[data-id="${id}"]`).waitFor({ timeout: WAIT })
    const context = await page.locator('#execution-context').textContent()
    expect(context).toContain('"name": "<img src=x onerror=alert(1)>"')
    expect(context).toContain('"script": "<script>alert(2)</script>"')
    expect(context).toContain('"x-source": "<img src=y onerror=alert(4)>"')
    expect(await page.locator('#jobs li.job[data-node="answer"]').textContent()).toContain('<img src=x onerror=alert(1)>')
    expect(await page.locator('#execution-response').textContent()).toContain('"got": "<img src=x onerror=alert(1)>"')
    // Nothing became markup: no element the payload could have made exists in the document.
    expect(await page.locator('img').count()).toBe(0)
    expect(await page.locator('body script').count()).toBe(0)
    expect(await page.locator('b').count()).toBe(0)
    // The same payload through the page's own test delivery form, shown as the answer.
    await page.locator('#delivery select[name="workflow"]').selectOption('echo')
    await page.locator('#delivery textarea[name="body"]').fill(JSON.stringify(hostile))
    await page.locator('#delivery button[type="submit"]').click()
    await page.locator('#delivery-answer:not([hidden])').waitFor({ timeout: WAIT })
    expect(await page.locator('#delivery-body').textContent()).toBe(JSON.stringify({ got: hostile.name }))
    expect(await page.locator('#delivery-headers').textContent()).toContain('x-echo: <img src=x onerror=alert(1)>')
    await page.waitForTimeout(300)
    expect(await page.locator('img').count()).toBe(0)
    expect(dialogs.map((dialog) => dialog.message())).toEqual([])
    await page.screenshot({ path: artifact('hostile-body.png'), fullPage: true })
  })

  it('sends a test delivery from the form, and lists the paths of a pasted sample', async () => {
    const app = await serveInspector()
    const { page } = await openPage(app)
    await page.locator('#workflows tr[data-key="echo"] button', { hasText: 'Test' }).click()
    expect(await page.locator('#declared-variables').textContent()).toContain('{{$context.headers.x-source}}')
    await page.locator('#delivery textarea[name="headers"]').fill('x-source: form')
    await page.locator('#delivery textarea[name="body"]').fill('{"name":"Ada"}')
    await page.locator('#delivery button[type="submit"]').click()
    await page.locator('#delivery-answer:not([hidden])').waitFor({ timeout: WAIT })
    expect(await page.locator('#delivery-status').textContent()).toContain('201')
    expect(await page.locator('#delivery-body').textContent()).toBe('{"got":"Ada"}')
    const executionId = (await page.locator('#delivery-execution').textContent())!.replace('execution ', '')
    expect((await app.engine.getExecution(executionId))?.context.headers).toEqual({ 'x-source': 'form' })
    await row(page, executionId).waitFor({ timeout: WAIT })
    await page.locator('#sample textarea').fill('{"order":{"id":7,"items":[{"sku":"a"}]}}')
    await page.locator('#sample button').click()
    await page.locator('#sample-paths li').first().waitFor({ timeout: WAIT })
    expect(await page.locator('#sample-paths li').allTextContents()).toEqual([
      '{{$context.body.order}}', '{{$context.body.order.id}}', '{{$context.body.order.items}}',
      '{{$context.body.order.items[0]}}', '{{$context.body.order.items[0].sku}}',
    ])
    await page.screenshot({ path: artifact('test-delivery.png'), fullPage: true })
  })

  it('filters the list by workflow and status', async () => {
    const app = await serveInspector()
    const { page } = await openPage(app)
    const ok = (await app.deliver('orders', { amount: 1 })).headers.get('x-execution-id')!
    const failed = (await app.deliver('flaky', {})).headers.get('x-execution-id')!
    await row(page, failed).and(page.locator('[data-status="error"]')).waitFor({ timeout: WAIT })
    await page.locator('#filters select[name="status"]').selectOption('error')
    await expect.poll(() => page.locator('#executions tr.execution').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))).toEqual([failed])
    await page.locator('#filters select[name="status"]').selectOption('')
    await page.locator('#filters select[name="workflow"]').selectOption('orders')
    await expect.poll(() => page.locator('#executions tr.execution').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))).toEqual([ok])
    // A new delivery of another workflow does not join the filtered list.
    const other = (await app.deliver('echo', { name: 'x' })).headers.get('x-execution-id')!
    const another = (await app.deliver('orders', { amount: 2 })).headers.get('x-execution-id')!
    await row(page, another).waitFor({ timeout: WAIT })
    expect(await row(page, other).count()).toBe(0)
  })

  it('shows 50 executions a page, and the next ones with Load more', async () => {
    const app = await serveInspector()
    for (let i = 0; i < 53; i++) await app.engine.trigger('orders', { body: { amount: i } })
    await app.engine.idle()
    const { page } = await openPage(app)
    const rows = page.locator('#executions tr.execution')
    await expect.poll(() => rows.count()).toBe(50)
    await page.locator('#more').click()
    await expect.poll(() => rows.count()).toBe(53)
    expect(await page.locator('#more').isHidden()).toBe(true)
    const ids = await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-id')))
    expect(new Set(ids).size).toBe(53)
  })
})
