// docs: the API reference at /docs as a reader's browser sees it: it loads nothing
// from another origin, logs no error in the console (Redoc hydrates the prerendered
// page without a mismatch), shows the binary's version and has an icon.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startCrmd, launchBrowser, newPage, CRMD_BIN } from './harness.mjs';

let srv, browser;
before(async () => {
    srv = await startCrmd({ demo: false });
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.cleanup();
});

/** Open /docs and wait until React has hydrated it (the sidebar's scrollbar is mounted then). */
async function openDocs(page) {
    const res = await page.goto(`${srv.url}/docs`);
    assert.equal(res.status(), 200);
    await page.locator('.menu-content .ps__rail-y').waitFor({ state: 'attached' });
    await page.waitForLoadState('networkidle');
    return res;
}

test('the API reference loads only from crmd and logs no console error', async () => {
    const page = await newPage(browser, { locale: 'en-GB' });
    const foreign = [];
    page.on('request', (r) => {
        const u = r.url();
        if (!u.startsWith(`${srv.url}/`) && !u.startsWith(`blob:${srv.url}/`) && !u.startsWith('data:'))
            foreign.push(u);
    });
    const res = await openDocs(page);
    assert.equal(res.headers()['content-encoding'], 'gzip', 'Chromium accepts gzip: the page comes compressed');
    assert.deepEqual(foreign, [], 'requests to other origins');
    assert.deepEqual(page.crmdErrors.slice(0, 3), [], `${page.crmdErrors.length} console errors`);
    await page.context().close();
});

test('the API reference names the binary and offers the served /openapi.json', async () => {
    const page = await newPage(browser);
    await openDocs(page);
    const version = execFileSync(CRMD_BIN, ['--version'], { encoding: 'utf8' }).trim().split(/\s+/).pop();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: `(${version})` }).waitFor();
    const download = page.getByRole('link', { name: 'Download' }).first();
    assert.equal(await download.getAttribute('href'), '/openapi.json');
    assert.deepEqual(page.crmdErrors, []);
    await page.context().close();
});

test('the API reference has an icon the browser can load', async () => {
    const page = await newPage(browser);
    await openDocs(page);
    const href = await page.evaluate(() => document.querySelector('link[rel~="icon"]')?.href);
    assert.ok(href, 'no <link rel=icon>');
    assert.ok(href.startsWith(`${srv.url}/`), `icon from elsewhere: ${href}`);
    const icon = await page.request.get(href);
    assert.equal(icon.status(), 200);
    assert.match(icon.headers()['content-type'], /^image\/svg\+xml/);
    await page.context().close();
});
