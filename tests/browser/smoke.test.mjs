// smoke: the real parts start: crmd with the demo data on an ephemeral port, and
// Debian's Chromium loads a page crmd serves (the API reference) under its CSP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startCrmd, launchBrowser, newPage, figure } from './harness.mjs';

let srv, browser;
before(async () => {
    srv = await startCrmd();
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.cleanup();
});

test('Chromium opens the API reference crmd serves', async () => {
    const page = await newPage(browser);
    const res = await page.goto(`${srv.url}/docs`);
    assert.equal(res.status(), 200);
    assert.match(await page.title(), /crmd/i);
    await page.context().close();
});

test('the demo data is there for the page: the demo key finds Dr. Wessling by plate', async () => {
    const r = await srv.api('GET', '/v1/greeting?plate=m-hw2022');
    assert.equal(r.status, 200);
    assert.equal(r.json.customer.family_name, 'Wessling');
});

test('the page weighs what a desk PC loads in a blink: its own files under 150 KB', async () => {
    // What /desk/ loads of its own (everything in desk/app); the chart library is apart.
    const page = await newPage(browser);
    const sizes = new Map();
    page.on('response', async (r) => {
        if (r.url().includes('/desk/') && !r.url().includes('/vendor/') && r.status() === 200)
            sizes.set(r.url(), (await r.body()).length);
    });
    await page.goto(`${srv.url}/desk/`);
    await page.waitForLoadState('networkidle');
    const loaded = [...sizes.values()].reduce((a, b) => a + b, 0);
    const onDisk = readdirSync('desk/app').reduce((a, f) => a + statSync(join('desk/app', f)).size, 0);
    figure('desk: bytes loaded by the sign-in page (uncompressed)', loaded, 'B');
    figure('desk: desk/app in all (every view, uncompressed, without the chart library)', onDisk, 'B');
    assert.ok(onDisk < 150 * 1024, `desk/app is ${onDisk} bytes, over the 150 KB budget`);
    await page.context().close();
});
