// smoke: the real parts start: crmd with the demo data on an ephemeral port, and
// Debian's Chromium loads a page crmd serves (the API reference) under its CSP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCrmd, launchBrowser, newPage } from './harness.mjs';

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
