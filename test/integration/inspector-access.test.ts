import { describe, expect, it } from 'vitest'
import { createEngine, WebhookTrigger } from '../../src/index.js'
import { CONTENT_SECURITY_POLICY, createInspector } from '../../src/inspector/index.js'
import { ADMIN, ADMIN_AUTH, serveInspector } from '../helpers/inspector.js'
import { basic } from '../helpers/webhook.js'

// Who gets in, what a cross-site page can do, and the headers every answer carries: over a
// real socket, as a browser or a script would ask.

const API = '/hookflow/api'

describe('creating an inspector', () => {
  const engine = createEngine()
  const trigger = new WebhookTrigger({ engine })

  it('throws without auth, naming the three ways to give it', () => {
    expect(() => createInspector({ engine, trigger } as never)).toThrow(/needs `auth`.*username, password.*authenticate.*auth: false/)
  })

  it('refuses Basic credentials that cannot work', () => {
    expect(() => createInspector({ engine, trigger, auth: { username: 'a:b', password: 'x' } })).toThrow(/username/)
    expect(() => createInspector({ engine, trigger, auth: { username: 'a', password: '' } })).toThrow(/password/)
    expect(() => createInspector({ engine, trigger, auth: { authenticate: 'yes' } as never })).toThrow(/authenticate must be a function/)
  })

  it('throws without a trigger, or with a trigger of another engine', () => {
    expect(() => createInspector({ engine, auth: false } as never)).toThrow(/needs the WebhookTrigger/)
    const other = new WebhookTrigger({ engine: createEngine() })
    expect(() => createInspector({ engine, trigger: [trigger, other], auth: false })).toThrow(/same engine/)
  })

  it('gives each workflow one URL per trigger when given several', async () => {
    const hooks = new WebhookTrigger({ engine, basePath: '/hooks' })
    engine.register({ key: 'several', trigger: { type: 'webhook', id: 'several' }, nodes: [] })
    const inspector = createInspector({ engine, trigger: [hooks, trigger], auth: false })
    const { items } = (await (await inspector.fetch(new Request('https://example.com/hookflow/api/workflows'))).json()) as any
    expect(items.find((workflow: any) => workflow.key === 'several')).toMatchObject({
      url: 'https://example.com/hooks/several',
      urls: ['https://example.com/hooks/several', 'https://example.com/api/webhook:trigger/several'],
    })
  })

  it('refuses a base path that does not start with "/" or ends with one', () => {
    expect(() => createInspector({ engine, trigger, auth: false, basePath: 'hookflow' })).toThrow(/basePath/)
    expect(() => createInspector({ engine, trigger, auth: false, basePath: '/hookflow/' })).toThrow(/basePath/)
  })

  it('owns its base path and what is under it, nothing else', () => {
    const inspector = createInspector({ engine, trigger, auth: false, basePath: '/ops/inspect' })
    expect(['/ops/inspect', '/ops/inspect/', '/ops/inspect/api/events'].map((path) => inspector.handles(path))).toEqual([true, true, true])
    expect(['/ops/inspector', '/ops', '/api/webhook:trigger/x'].map((path) => inspector.handles(path))).toEqual([false, false, false])
  })
})

describe('access to the inspector', () => {
  it('answers 401 with a Basic challenge to a request without credentials, page and API alike', async () => {
    const app = await serveInspector()
    for (const path of ['/hookflow/', `${API}/workflows`, '/hookflow/assets/inspector.js']) {
      const response = await fetch(app.url + path)
      expect(response.status, path).toBe(401)
      expect(response.headers.get('www-authenticate')).toBe('Basic realm="hookflow inspector", charset="UTF-8"')
      expect(((await response.json()) as any).error.code).toBe('unauthorized')
    }
  })

  it('answers 401 to wrong credentials: a wrong password, a wrong user, or another scheme', async () => {
    const app = await serveInspector()
    for (const authorization of [basic(ADMIN.username, 'wrong'), basic('root', ADMIN.password), `Bearer ${ADMIN.password}`]) {
      const response = await app.get(`${API}/workflows`, { authorization })
      expect(response.status, authorization).toBe(401)
    }
  })

  it('lets the right credentials in', async () => {
    const app = await serveInspector()
    expect((await app.get(`${API}/workflows`)).status).toBe(200)
  })

  it('asks an authenticate hook, and lets in only what it answers true for', async () => {
    const app = await serveInspector({ auth: { authenticate: (request) => request.headers.get('x-role') === 'ops' } })
    expect((await fetch(`${app.url}${API}/workflows`, { headers: { 'x-role': 'ops' } })).status).toBe(200)
    const refused = await fetch(`${app.url}${API}/workflows`, { headers: { 'x-role': 'guest' } })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('www-authenticate')).toBeNull()
  })

  it('refuses when an authenticate hook answers something other than true', async () => {
    const app = await serveInspector({ auth: { authenticate: () => 'yes' as never } })
    expect((await fetch(`${app.url}${API}/workflows`)).status).toBe(401)
  })

  it('is open to anyone with auth: false written out', async () => {
    const app = await serveInspector({ auth: false })
    expect((await fetch(`${app.url}${API}/workflows`)).status).toBe(200)
  })
})

describe('cross-site requests', () => {
  it('answers 403 to a POST whose Origin is another site, with valid credentials', async () => {
    const app = await serveInspector()
    const id = (await app.deliver('orders', { amount: 1 })).headers.get('x-execution-id')!
    const response = await app.post(`${API}/executions/${id}/replay`, undefined, { origin: 'https://evil.example' })
    expect(response.status).toBe(403)
    expect(((await response.json()) as any).error.code).toBe('cross_site')
    await app.engine.idle()
    expect(await app.engine.listExecutions()).toHaveLength(1)
  })

  it('answers 403 to a POST a browser marks Sec-Fetch-Site: cross-site or same-site', async () => {
    const app = await serveInspector()
    for (const site of ['cross-site', 'same-site']) {
      const response = await app.post(`${API}/workflows/echo/deliveries`, { body: {} }, { 'sec-fetch-site': site, origin: app.url })
      expect(response.status, site).toBe(403)
    }
  })

  it('answers 403 to a POST from an opaque origin (Origin: null)', async () => {
    const app = await serveInspector()
    expect((await app.post(`${API}/sample-paths`, { sample: '{}' }, { origin: 'null' })).status).toBe(403)
  })

  it('takes a POST from the same origin, or marked same-origin by the browser', async () => {
    const app = await serveInspector()
    expect((await app.post(`${API}/sample-paths`, { sample: '{}' })).status).toBe(200)
    expect((await app.post(`${API}/sample-paths`, { sample: '{}' }, { origin: 'https://elsewhere.example', 'sec-fetch-site': 'same-origin' })).status).toBe(200)
  })

  it('refuses a POST body that is not JSON, so a plain HTML form cannot send one', async () => {
    const app = await serveInspector()
    for (const [type, body] of [['application/x-www-form-urlencoded', 'sample=%7B%7D'], ['text/plain', '{"sample":"{}"}']]) {
      const response = await fetch(`${app.url}${API}/sample-paths`, { method: 'POST', headers: { authorization: ADMIN_AUTH, 'content-type': type! }, body })
      expect(response.status, type).toBe(415)
    }
  })
})

describe('every answer', () => {
  const expectSecured = (response: Response): void => {
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  }

  it('carries a strict Content-Security-Policy: own script, style and API only, no framing', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    )
  })

  it('carries the security headers, refusals and errors included', async () => {
    const app = await serveInspector()
    const answers = [
      await app.get('/hookflow/'),
      await app.get('/hookflow/assets/inspector.js'),
      await app.get('/hookflow/assets/inspector.css'),
      await app.get(`${API}/workflows`),
      await app.get(`${API}/executions/nope`),
      await app.get('/hookflow/nothing-here'),
      await fetch(`${app.url}/hookflow/`),
      await app.post(`${API}/sample-paths`, {}, { origin: 'https://evil.example' }),
    ]
    expect(answers.map((response) => response.status)).toEqual([200, 200, 200, 200, 404, 404, 401, 403])
    answers.forEach(expectSecured)
  })

  it('serves the page and its files with their types, from the package, with no outside origin', async () => {
    const app = await serveInspector()
    const page = await app.get('/hookflow/')
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await page.text()
    expect(html).toContain('<script src="assets/inspector.js" defer></script>')
    expect(html).toContain('<link rel="stylesheet" href="assets/inspector.css">')
    expect(html).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+=|https?:\/\//i)
    expect((await app.get('/hookflow/assets/inspector.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect((await app.get('/hookflow/assets/inspector.css')).headers.get('content-type')).toBe('text/css; charset=utf-8')
  })

  it('redirects the base path without its slash to the page', async () => {
    const app = await serveInspector()
    const response = await app.get('/hookflow', {})
    expect(response.redirected).toBe(true)
    expect(response.url).toBe(`${app.url}/hookflow/`)
    const manual = await fetch(`${app.url}/hookflow?x=1`, { headers: { authorization: ADMIN_AUTH }, redirect: 'manual' })
    expect(manual.status).toBe(308)
    expect(manual.headers.get('location')).toBe('/hookflow/?x=1')
  })

  it('answers 405 with Allow for a method a route does not take', async () => {
    const app = await serveInspector()
    const response = await app.post(`${API}/workflows`, {})
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('GET')
    expect((await app.get(`${API}/executions/x/retry`)).headers.get('allow')).toBe('POST')
  })

  it('leaves webhooks to the trigger: a delivery beside the inspector is answered as before', async () => {
    const app = await serveInspector()
    const response = await app.deliver('echo', { name: 'Grace' })
    expect(response.status).toBe(201)
    expect(await response.json()).toEqual({ got: 'Grace' })
    expect(response.headers.get('content-security-policy')).toBeNull()
  })
})
