// manage: the management view of the desk page (desk/app/metrics.js) as a manager uses it. A real
// crmd with the demo data plus six NPS answers in a known month (four months ago: four in service,
// two in sales), Debian's Chromium, the page served by crmd at /desk/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCrmd, launchBrowser, newPage, axeSerious, keepScreenshot, figure } from './harness.mjs';

let srv, browser, managerKey;
/** The seeded month: its first day (UTC) and [from, to) for the API. */
const now = new Date();
const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 4, 1));
const iso = (d) => d.toISOString().slice(0, 10);
const nextMonth = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));

// service: 10, 9, 8, 3 → 2 promoters, 1 passive, 1 detractor; sales: 10, 6 → 1 and 1.
// All six: 3 promoters, 1 passive, 2 detractors, NPS (3 − 2) / 6 = +16.7.
const ANSWERS = [['service', 10], ['service', 9], ['service', 8], ['service', 3], ['sales', 10], ['sales', 6]];

before(async () => {
    srv = await startCrmd();
    browser = await launchBrowser();
    managerKey = srv.createKey('manager', 'Filialleitung');
    const base = await srv.api('GET', `/v1/metrics/experience?from=${iso(month)}T00:00:00Z&to=${iso(nextMonth)}T00:00:00Z`);
    assert.equal(base.status, 200);
    assert.equal(base.json.nps.responses, 0, `the demo data has no NPS answers in ${iso(month)}'s month`);
    const customer = (await srv.api('GET', '/v1/customers?limit=1')).json.items[0].id;
    for (const [i, [department, nps]] of ANSWERS.entries()) {
        const r = await srv.api('POST', '/v1/touchpoints', {
            customer_id: customer, kind: 'survey', channel: 'email', department, nps,
            occurred_at: `${iso(month).slice(0, 8)}${String(10 + i).padStart(2, '0')}T10:00:00Z`,
        });
        assert.equal(r.status, 201, JSON.stringify(r.json));
    }
});
after(async () => {
    await browser?.close();
    await srv?.cleanup();
});

/** A test with a fresh page; a failure keeps a screenshot. */
function scenario(name, body, opts = {}) {
    test(name, async () => {
        const page = await newPage(browser, opts);
        try {
            await body(page);
        } catch (e) {
            await keepScreenshot(page, name);
            throw e;
        } finally {
            await page.context().close();
        }
    });
}

/** A manager signs in with the key (loading the page first) and opens Insights; waits for the NPS chart. */
async function openInsights(page, { load = true } = {}) {
    if (load) await page.goto(`${srv.url}/desk/`);
    await page.getByLabel(/^(Persönlicher Schlüssel|Personal key)$/).fill(managerKey);
    await page.getByRole('button', { name: /^(Anmelden|Sign in)$/ }).click();
    const started = Date.now();
    await page.getByRole('link', { name: /^(Auswertung|Insights)$/ }).click();
    await chartDrawn(page);
    figure('insights: tab opened to NPS chart drawn', Date.now() - started, 'ms');
    return page;
}

/** Waits until the first chart (NPS) has data: a score or a bar that is not empty. */
async function chartDrawn(page) {
    await page.waitForFunction(() => {
        const canvas = document.querySelector('#insights canvas');
        const chart = canvas && /** @type {any} */ (window).Chart?.getChart(canvas);
        return chart && chart.data.datasets.some((d) => d.data.some((v) => v !== null && v !== 0));
    }, null, { timeout: 15000 });
}

/** The seeded month as the page names it ("Aug. 2026", "Aug 2026"), in the page's own Intl. */
function monthName(page, lang) {
    return page.evaluate(([ms, l]) => new Intl.DateTimeFormat(l, { month: 'short', year: 'numeric', timeZone: 'UTC' })
        .format(new Date(ms)), [month.getTime(), lang]);
}

/** The cells of the NPS table's row for the seeded month, once the page is not loading. */
async function npsRow(page, caption, name) {
    await page.locator('#insights [aria-busy="false"]').waitFor();
    const row = page.getByRole('table', { name: caption }).getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    return row.locator('th, td').allInnerTexts();
}

/** Polls until the seeded month's row reads want (filters reload in the background). */
async function rowBecomes(page, caption, name, want) {
    const deadline = Date.now() + 10000;
    let got;
    while (Date.now() < deadline) {
        got = await npsRow(page, caption, name);
        if (JSON.stringify(got) === JSON.stringify(want)) return;
        await page.waitForTimeout(50);
    }
    assert.deepEqual(got, want);
}

scenario('a manager opens Insights: the NPS chart is drawn and its table shows the seeded month', async (page) => {
    await openInsights(page);
    await page.getByRole('heading', { name: 'NPS im Zeitverlauf' }).waitFor();
    const canvas = page.locator('#insights canvas').first();
    assert.equal(await canvas.getAttribute('role'), 'img');
    assert.match(await canvas.getAttribute('aria-label'), /^NPS von .+ bis .+: /);
    const table = page.getByRole('table', { name: /^NPS je Zeitraum/ });
    assert.ok(await table.isVisible(), 'the numbers are visible below the chart');
    assert.deepEqual(await table.locator('thead th').allInnerTexts(),
        ['Zeitraum', 'Antworten', 'Promotoren (9–10)', 'Passive (7–8)', 'Kritiker (0–6)', 'NPS']);
    const served = (await srv.api('GET', '/v1/metrics/experience?interval=month', undefined, managerKey)).json;
    assert.ok(served.buckets.length >= 12, 'the last 12 months');
    assert.equal(await table.locator('tbody tr').count(), served.buckets.length, 'a row per month');
    assert.deepEqual(await npsRow(page, /^NPS je Zeitraum/, await monthName(page, 'de')),
        [await monthName(page, 'de'), '6', '3', '1', '2', '+16,7']);
    // The headline counts every answer of the range: the demo's and ours.
    assert.match(await page.locator('#insights dl').innerText(), new RegExp(`Antworten: ${served.nps.responses}\\b`));
    // The journey and drag tables are there with their columns.
    assert.deepEqual(await page.getByRole('table', { name: /^Ø Journey-Bewertung je Zeitraum/ }).locator('thead th').allInnerTexts(),
        ['Zeitraum', 'Journeys', 'Bewertet', 'Ø Bewertung (0–1)']);
    assert.ok(await page.getByRole('table', { name: 'Kontaktarten nach Verlust' }).getByRole('rowheader', { name: 'Servicebesuch' }).isVisible(),
        'the demo\'s poorly rated service visit drags its journey down');
    assert.deepEqual(page.crmdErrors, [], 'no console errors (e.g. CSP violations)');
});

scenario('filtering by department changes the table, the last choice wins, a new sign-in starts afresh', async (page) => {
    await openInsights(page);
    const name = await monthName(page, 'de');
    const department = page.getByLabel('Abteilung', { exact: true });
    await department.selectOption('service');
    await rowBecomes(page, /^NPS je Zeitraum/, name, [name, '4', '2', '1', '1', '+25 *']);
    // Two changes in a row: the older request is dropped, the sales figures stay.
    await department.selectOption('');
    await department.selectOption('sales');
    await rowBecomes(page, /^NPS je Zeitraum/, name, [name, '2', '1', '0', '1', '0 *']);
    await page.waitForTimeout(300);
    assert.deepEqual(await npsRow(page, /^NPS je Zeitraum/, name), [name, '2', '1', '0', '1', '0 *']);
    await department.selectOption('');
    await rowBecomes(page, /^NPS je Zeitraum/, name, [name, '6', '3', '1', '2', '+16,7']);
    // In weeks, the months shown stay the range (crmd alone would answer the last 12 weeks).
    await page.getByLabel('Zeitraster', { exact: true }).selectOption('week');
    const table = page.getByRole('table', { name: /^NPS je Zeitraum/ });
    await table.getByRole('rowheader', { name: /^Woche ab / }).first().waitFor();
    await page.locator('#insights [aria-busy="false"]').waitFor();
    assert.ok(await table.locator('tbody tr').count() >= 52, 'a year of weeks');
    // Signed out and in again: one view, with none of the last session's filters.
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await openInsights(page, { load: false }); // the same page: metrics.js mounts a second time
    assert.equal(await page.getByRole('heading', { name: 'Auswertung', exact: true }).count(), 1);
    assert.equal(await department.inputValue(), '');
    assert.equal(await page.getByLabel('Zeitraster', { exact: true }).inputValue(), 'month');
    assert.deepEqual(page.crmdErrors, []);
});

scenario('a date range of one month shows that month; weeks are named by their Monday; too long a range says why', async (page) => {
    await openInsights(page);
    const name = await monthName(page, 'de');
    const last = new Date(nextMonth.getTime() - 864e5);
    await page.getByLabel('Von', { exact: true }).fill(iso(month));
    await page.getByLabel('Bis (einschließlich)', { exact: true }).fill(iso(last));
    await rowBecomes(page, /^NPS je Zeitraum/, name, [name, '6', '3', '1', '2', '+16,7']);
    assert.equal(await page.getByRole('table', { name: /^NPS je Zeitraum/ }).locator('tbody tr').count(), 1);
    assert.match(await page.locator('#insights dl').innerText(), /\+16,7\s+Antworten: 6\b/);
    await page.getByLabel('Zeitraster', { exact: true }).selectOption('week');
    const table = page.getByRole('table', { name: /^NPS je Zeitraum/ });
    await table.getByRole('rowheader', { name: /^Woche ab / }).first().waitFor();
    await page.locator('#insights [aria-busy="false"]').waitFor();
    const answers = await table.locator('tbody tr td:nth-of-type(1)').allInnerTexts();
    assert.equal(answers.reduce((sum, n) => sum + Number(n), 0), 6, 'the six answers, spread over the weeks');
    assert.deepEqual(page.crmdErrors, []);
    // Seventeen years in weeks is more than crmd cuts (400): the page says so instead of a chart.
    await page.getByLabel('Von', { exact: true }).fill('2010-01-01');
    await page.getByRole('status').filter({ hasText: /^Die Auswertung konnte nicht geladen werden: \S/ }).waitFor();
    assert.equal(await page.getByRole('table', { name: /^NPS je Zeitraum/ }).locator('tbody tr').innerText(), 'Keine Daten im Zeitraum.');
});

scenario('switched to English, headings, tables and months are English', async (page) => {
    await openInsights(page);
    await page.getByRole('button', { name: /English/ }).click();
    await page.getByRole('heading', { name: 'NPS over time' }).waitFor();
    await page.getByRole('heading', { name: 'Journey scores over time' }).waitFor();
    await page.getByRole('heading', { name: 'Touchpoint kinds that drag journeys down most' }).waitFor();
    assert.ok(await page.getByLabel('Department', { exact: true }).isVisible());
    const name = await monthName(page, 'en');
    assert.deepEqual(await npsRow(page, /^NPS per period/, name), [name, '6', '3', '1', '2', '+16.7']);
    assert.match(await page.locator('#insights canvas').first().getAttribute('aria-label'), /^NPS from .+ to .+: /);
    assert.deepEqual(page.crmdErrors, []);
});

for (const [what, viewport] of [['desk PC 1280×800', { width: 1280, height: 800 }], ['tablet 1194×834', { width: 1194, height: 834 }]]) {
    scenario(`on a ${what} axe finds no serious or critical violations and nothing overflows`, async (page) => {
        await openInsights(page);
        assert.deepEqual(await axeSerious(page), []);
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
        // The keyboard's place shows: Tab from one filter to the next.
        await page.getByLabel('Abteilung', { exact: true }).focus();
        await page.keyboard.press('Tab');
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'mx-kind');
        assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'none');
    }, { viewport });
}
