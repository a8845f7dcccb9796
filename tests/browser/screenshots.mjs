// screenshots: the pictures of the README and docs/desk.md (make screenshots), taken the way
// the browser tests work: a real crmd with the demo data, Debian's Chromium, a person's steps.
// The server's clock is pinned to a Monday morning (CRMD_FAKE_NOW) so the greeting says
// "Guten Morgen"; the demo data is relative to that day.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startCrmd, launchBrowser, newPage } from './harness.mjs';

const OUT = resolve(process.argv[2] || 'docs/img');
const MONDAY_0930_BERLIN = '1795422600'; // 2026-11-23T08:30:00Z

async function signIn(page, srv, key) {
    await page.goto(`${srv.url}/desk/`);
    await page.getByLabel(/Persönlicher Schlüssel|Personal key/).fill(key);
    await page.getByRole('button', { name: /^(Anmelden|Sign in)$/ }).click();
    await page.getByRole('combobox', { name: /^(Kunden finden|Find a customer)$/ }).waitFor();
}

const srv = await startCrmd({ env: { CRMD_FAKE_NOW: MONDAY_0930_BERLIN, CRMD_TIMEZONE: 'Europe/Berlin' } });
const browser = await launchBrowser();
try {
    mkdirSync(OUT, { recursive: true });
    const desk = await newPage(browser, { locale: 'de-DE' });
    await signIn(desk, srv, srv.createKey('desk', 'Anna Berger'));
    const box = desk.getByRole('combobox', { name: 'Kunden finden' });
    await box.fill('m hw2022');
    await box.press('Enter');
    await desk.getByTestId('card').getByRole('heading', { name: /Wessling/ }).first().waitFor();
    await desk.screenshot({ path: `${OUT}/desk-card.png` });
    console.log(`wrote ${OUT}/desk-card.png`);

    const manager = await newPage(browser, { locale: 'de-DE' });
    await signIn(manager, srv, srv.createKey('manager', 'Markus Brandl'));
    await manager.getByRole('link', { name: 'Auswertung' }).click();
    await manager.locator('#insights canvas').first().waitFor();
    await manager.waitForTimeout(800); // the charts' entry animation
    await manager.screenshot({ path: `${OUT}/insights.png` });
    console.log(`wrote ${OUT}/insights.png`);
} finally {
    await browser.close();
    await srv.cleanup();
}
