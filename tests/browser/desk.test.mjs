// desk: the service desk page as an advisor uses it, in Chromium against a real crmd with the
// demo data: sign in with a personal key, find people by what they have at hand, read the card,
// log a visit; the states people meet (bad or revoked key, no match, several matches, server
// gone, empty database), both languages, and axe-core on the main views.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCrmd, launchBrowser, newPage, axeSerious, keepScreenshot, figure } from './harness.mjs';

let srv, browser;
const keys = {};

before(async () => {
    srv = await startCrmd();
    browser = await launchBrowser();
    keys.desk = srv.createKey('desk', 'Anna Berger');
    keys.manager = srv.createKey('manager', 'Max Leiter');
    keys.reader = srv.createKey('reader', 'Werkstatt Tablet');
});
after(async () => {
    await browser?.close();
    await srv?.cleanup();
});

/** A test with a fresh page (its own sessionStorage); a screenshot is kept when it fails. */
function deskTest(name, fn, { locale = 'de-DE', viewport } = {}) {
    test(name, async () => {
        const page = await newPage(browser, { locale, ...(viewport ? { viewport } : {}) });
        try {
            await fn(page);
            // Failed requests (404, 409, …) are logged by Chromium itself; script errors are ours.
            assert.deepEqual(page.crmdErrors.filter((e) => !/Failed to load resource/.test(e)), []);
        } catch (err) {
            await keepScreenshot(page, 'desk ' + name);
            throw err;
        } finally {
            await page.context().close();
        }
    });
}

async function open(page, server = srv) {
    await page.goto(server.url + '/desk/');
}

async function signIn(page, key, server = srv) {
    await open(page, server);
    await page.getByLabel(/Persönlicher Schlüssel|Personal key/).fill(key);
    await page.getByRole('button', { name: /^(Anmelden|Sign in)$/ }).click();
    await box(page).waitFor();
}

const box = (page) => page.getByRole('combobox', { name: /^(Kunden finden|Find a customer)$/ });
const greeting = (page) => page.locator('#card-greeting');
const text = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

/** Type into the box as a person does, and press Enter; resolves with the milliseconds until the card's greeting shows. */
async function typeAndEnter(page, what) {
    await box(page).fill('');
    await box(page).pressSequentially(what, { delay: 20 });
    const t0 = Date.now();
    await box(page).press('Enter');
    await greeting(page).waitFor();
    return Date.now() - t0;
}

// ---- signing in ---------------------------------------------------------------------------

deskTest('sign in with a personal key: the page says who is signed in and puts the cursor in the box', async (page) => {
    await open(page);
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    await page.getByLabel('Persönlicher Schlüssel').fill(keys.desk);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByTestId('user-name').waitFor();
    assert.equal(await text(page.getByTestId('user-name')), 'Anna Berger');
    assert.equal(await text(page.getByTestId('user-role')), 'Empfang');
    assert.equal(await box(page).evaluate((el) => el === document.activeElement), true);
    // The key stays in this tab's sessionStorage only: not in localStorage, not in the address.
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    assert.ok(!page.url().includes(keys.desk));
    // A reload keeps the session; signing out ends it.
    await page.reload();
    await page.getByTestId('user-name').waitFor();
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('crmd.key')), null);
});

deskTest('a wrong key gets a clear sentence and the page stays at the sign-in', async (page) => {
    await open(page);
    await page.getByLabel('Persönlicher Schlüssel').fill('crmd_thisisnotakeyatallthisisnotakeyatall12345');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByText('Dieser Schlüssel ist nicht gültig').waitFor();
    assert.equal(await box(page).count(), 0);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('crmd.key')), null);
});

deskTest('a key revoked while the page is open brings back the sign-in with a clear sentence', async (page) => {
    const key = srv.createKey('desk', 'Aushilfe Dezember');
    await signIn(page, key);
    await typeAndEnter(page, 'M-HW 2022');
    const list = await srv.api('GET', '/v1/keys?limit=200');
    const id = list.json.items.find((k) => k.name === 'Aushilfe Dezember' && !k.revoked_at).id;
    assert.equal((await srv.api('DELETE', `/v1/keys/${id}`)).status, 204);
    await box(page).pressSequentially('Kaya', { delay: 20 });
    await page.getByText('Ihr Schlüssel gilt nicht mehr').waitFor();
    await page.getByLabel('Persönlicher Schlüssel').waitFor();
    // Nothing of the customer stays on the screen.
    assert.equal(await page.getByText('Wessling').count(), 0);
});

// ---- finding people -----------------------------------------------------------------------

deskTest('type "m hw2022" and press Enter: Dr. Wessling\'s card, his wife Petra and her Mini', async (page) => {
    await signIn(page, keys.desk);
    const ms = await typeAndEnter(page, 'm hw2022');
    const inPage = await page.evaluate(() => performance.getEntriesByName('desk-enter-to-card')[0]?.duration);
    figure('desk: Enter to card visible (m hw2022, wall time)', ms, 'ms');
    if (inPage !== undefined)
        figure('desk: Enter to card rendered (m hw2022, performance.measure in the page)', Math.round(inPage), 'ms');
    assert.match(await text(greeting(page)), /^Guten (Morgen|Tag|Abend), Herr Dr\. Wessling$/);
    const card = page.getByTestId('card');
    // The car he came with, an alert before speaking, the household with Petra's Mini.
    assert.match(await text(card.getByRole('region', { name: 'Fahrzeug' })), /M-HW 2022 BMW i4/);
    assert.ok(await card.locator('.alert-critical').count() >= 1);
    const household = card.getByRole('region', { name: /Haushalt/ });
    assert.match(await text(household), /Petra Wessling/);
    assert.match(await text(household), /M-PW 24 MINI Cooper SE/);
    // Fleets: never hundreds of cars, at most five and "+N weitere".
    const fleets = card.getByRole('region', { name: 'Flotten' });
    assert.ok(await fleets.locator('.cars li').count() <= 5);
    assert.match(await text(fleets), /\+\d+ weitere/);
    // Petra opens her own card; Back returns to Harry's.
    await household.getByRole('link', { name: 'Petra Wessling' }).click();
    await page.waitForFunction(() => /Frau Wessling/.test(document.querySelector('#card-greeting')?.textContent || ''));
    assert.match(await text(page.getByTestId('card')), /MINI Cooper SE/);
    await page.goBack();
    await page.waitForFunction(() => /Dr\. Wessling/.test(document.querySelector('#card-greeting')?.textContent || ''));
    // Her car opens the card of its driver: Petra.
    await page.getByTestId('card').getByRole('link', { name: 'M-PW 24' }).click();
    await page.waitForFunction(() => /Frau Wessling/.test(document.querySelector('#card-greeting')?.textContent || ''));
});

/** Import NDJSON lines as a DMS does (admin key). */
async function importLines(lines) {
    const r = await fetch(srv.url + '/v1/import?report=errors', {
        method: 'POST',
        headers: { Authorization: `Bearer ${srv.adminKey}`, 'Content-Type': 'application/x-ndjson' },
        body: lines.map((l) => JSON.stringify(l)).join('\n') + '\n',
    });
    assert.equal(r.status, 200, await r.text());
}

deskTest('a 2,000-car fleet: each list shows a few cars and "+N weitere" counts the rest', async (page) => {
    const ref = (id) => ({ system: 'big', id });
    const lines = [
        { type: 'customer', external_ref: ref('C'), kind: 'company', company_name: 'Großflotte Bremen GmbH' },
        { type: 'customer', external_ref: ref('M'), kind: 'person', salutation: 'Herr', given_name: 'Fritz', family_name: 'Fuhrmann' },
        { type: 'customer', external_ref: ref('P'), kind: 'person', salutation: 'Frau', given_name: 'Paula', family_name: 'Fuhrmann' },
        { type: 'company_person', company: ref('C'), person: ref('M'), roles: ['fleet_manager'] },
        { type: 'household', external_ref: ref('H'), name: 'Familie Fuhrmann' },
        { type: 'membership', household: ref('H'), customer: ref('M'), role: 'head' },
        { type: 'membership', household: ref('H'), customer: ref('P'), role: 'partner' },
    ];
    for (let i = 1; i <= 2000; i++)
        lines.push({ type: 'vehicle', external_ref: ref('V' + i), make: 'VW', model: 'Caddy', model_year: 2015, plate: 'HB-GF ' + i, owner: ref('C') });
    for (let i = 1; i <= 23; i++)
        lines.push({ type: 'vehicle', external_ref: ref('P' + i), make: 'Fiat', model: '500', model_year: 2012, plate: 'HB-GP ' + i, owner: ref('P') });
    await importLines(lines);
    await signIn(page, keys.desk);

    // A pool car: the company's card lists 20 of its opportunities and counts the rest.
    const pool = (await srv.api('GET', '/v1/greeting?plate=HB-GF%207')).json.potential;
    assert.ok(pool.opportunity_count >= 2000);
    await typeAndEnter(page, 'hb gf7');
    const potential = page.getByTestId('card').getByRole('region', { name: 'Kaufpotenzial' });
    assert.equal(await potential.locator('.opps li').count(), 20);
    assert.match(await text(potential), new RegExp(`\\+${(pool.opportunity_count - 20).toLocaleString('de-DE')} weitere`));

    // The partner's car: her 23 cars, 20 listed and "+3 weitere".
    await typeAndEnter(page, 'hb gp1');
    const household = page.getByTestId('card').getByRole('region', { name: /Haushalt/ });
    assert.match(await text(household), /\+3 weitere/);

    // Her husband manages the fleet: 5 of 2,000 due cars and "+1995 weitere".
    await household.getByRole('link', { name: /Fritz Fuhrmann/ }).click();
    await page.waitForFunction(() => /Herr Fuhrmann/.test(document.querySelector('#card-greeting')?.textContent || ''));
    const fleets = page.getByTestId('card').getByRole('region', { name: 'Flotten' });
    assert.equal(await fleets.locator('.cars li').count(), 5);
    assert.match(await text(fleets), /\+1\.?995 weitere/);
});

deskTest('a name typed without umlauts: "baeckerei" lists Bäckerei Huber KG; arrow keys and Enter open it', async (page) => {
    await signIn(page, keys.desk);
    await box(page).pressSequentially('baeckerei', { delay: 20 });
    const listbox = page.getByRole('listbox');
    await listbox.getByRole('option', { name: /Bäckerei Huber KG/ }).waitFor();
    assert.equal(await box(page).getAttribute('aria-expanded'), 'true');
    const options = await listbox.getByRole('option').allInnerTexts();
    const i = options.findIndex((o) => o.includes('Bäckerei Huber KG'));
    for (let k = 0; k <= i; k++)
        await box(page).press('ArrowDown');
    const active = await box(page).getAttribute('aria-activedescendant');
    assert.match(await page.locator('#' + active).innerText(), /Bäckerei Huber KG/);
    await box(page).press('Enter');
    await page.waitForFunction(() => /Bäckerei Huber KG/.test(document.querySelector('#card-greeting')?.textContent || ''));
    // Escape empties the box and keeps the cursor there.
    await box(page).press('Escape');
    assert.equal(await box(page).inputValue(), '');
    assert.equal(await box(page).evaluate((el) => el === document.activeElement), true);
});

deskTest('a phone number in another format: "+49 171 4432022" finds "0171 4432022", Dr. Wessling', async (page) => {
    await signIn(page, keys.desk);
    await typeAndEnter(page, '+49 171 4432022');
    assert.match(await text(greeting(page)), /Herr Dr\. Wessling/);
});

deskTest('a plate on two cars of different people, typed without telling them apart: the page asks which one, and opens the one chosen with that car', async (page) => {
    const a = await srv.api('POST', '/v1/customers', { kind: 'person', salutation: 'Frau', given_name: 'Anna', family_name: 'Albrecht', address: { city: 'Dachau', country: 'DE' } });
    const b = await srv.api('POST', '/v1/customers', { kind: 'person', salutation: 'Herr', given_name: 'Bernd', family_name: 'Bauer', birthday: '1980-03-04' });
    assert.equal((await srv.api('POST', '/v1/vehicles', { plate: 'M-AB 123', make: 'Audi', model: 'A3', owner_id: a.json.id })).status, 201);
    const opel = await srv.api('POST', '/v1/vehicles', { plate: 'MA-B 123', make: 'Opel', model: 'Astra', owner_id: b.json.id });
    assert.equal(opel.status, 201);
    /** @type {any[]} */
    const posted = [];
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/v1/touchpoints')) posted.push(r.postDataJSON()); });
    await signIn(page, keys.desk);
    // "M-AB 123" would open Anna's card: only her plate has its hyphen there.
    await box(page).pressSequentially('mab 123', { delay: 20 });
    await box(page).press('Enter');
    const choice = page.getByTestId('candidates');
    await choice.getByRole('heading', { name: /Mehrere Kunden passen/ }).waitFor();
    assert.equal(await choice.getByRole('link').count(), 2);
    assert.match(await text(choice), /Anna Albrecht.*Dachau.*M-AB 123 Audi A3/);
    assert.match(await text(choice), /Bernd Bauer.*04\.03\.1980.*MA-B 123 Opel Astra/);
    await choice.getByRole('link', { name: /Bernd Bauer/ }).click();
    await page.waitForFunction(() => /Herr Bauer/.test(document.querySelector('#card-greeting')?.textContent || ''));
    // His card keeps the car he came with, and the address names it (never the key).
    const card = page.getByTestId('card');
    assert.match(await text(card.getByRole('region', { name: 'Fahrzeug' })), /MA-B 123 Opel Astra/);
    assert.equal(new URL(page.url()).hash, `#/c/${b.json.id}/v/${opel.json.id}`);
    // A visit logged there carries that car; the page leaves staff to the server, which names the key.
    const form = page.getByRole('form', { name: 'Besuch erfassen' });
    assert.match(await text(form), /Erfasst von Anna Berger, jetzt, für MA-B 123 Opel Astra/);
    await form.getByLabel('Notiz', { exact: true }).fill('Kennzeichen verwechselt, richtig zugeordnet.');
    await form.getByRole('button', { name: 'Besuch speichern' }).click();
    await page.locator('tr.fresh').waitFor();
    assert.match(await text(page.locator('tr.fresh')), /Anna Berger/);
    const logged = (await srv.api('GET', `/v1/touchpoints?customer_id=${b.json.id}`)).json.items;
    assert.equal(logged.length, 1);
    assert.equal(logged[0].vehicle_id, opel.json.id);
    assert.equal(logged[0].staff, 'Anna Berger');
    assert.equal(posted.length, 1);
    assert.equal(posted[0].vehicle_id, opel.json.id);
    assert.equal('staff' in posted[0], false);
    // The address opens the same card again, car included.
    await page.reload();
    await page.waitForFunction(() => /Herr Bauer/.test(document.querySelector('#card-greeting')?.textContent || ''));
    assert.match(await text(page.getByTestId('card').getByRole('region', { name: 'Fahrzeug' })), /MA-B 123 Opel Astra/);
    // An address with a car that is not hers (an old link) opens her card without it.
    await page.evaluate((hash) => { location.hash = hash; }, `#/c/${a.json.id}/v/${opel.json.id}`);
    await page.waitForFunction((hash) => location.hash === hash, `#/c/${a.json.id}`);
    assert.match(await text(greeting(page)), /Frau Albrecht/);
    assert.match(await text(page.getByTestId('card').getByRole('region', { name: 'Fahrzeug' })), /nicht über ein Fahrzeug/);
});

deskTest('a car without a plate: its VIN links it on the card, and a VIN found in the box opens the card with it', async (page) => {
    const hanna = await srv.api('POST', '/v1/customers', { kind: 'person', salutation: 'Frau', given_name: 'Hanna', family_name: 'Hofer' });
    const paul = await srv.api('POST', '/v1/customers', { kind: 'person', salutation: 'Herr', given_name: 'Paul', family_name: 'Hofer' });
    const hh = await srv.api('POST', '/v1/households', { name: 'Familie Hofer' });
    assert.equal((await srv.api('PUT', `/v1/households/${hh.json.id}/members/${hanna.json.id}`, { role: 'head' })).status, 201);
    assert.equal((await srv.api('PUT', `/v1/households/${hh.json.id}/members/${paul.json.id}`, { role: 'partner' })).status, 201);
    assert.equal((await srv.api('POST', '/v1/vehicles', { plate: 'DAH-HH 7', make: 'VW', model: 'Golf', owner_id: hanna.json.id })).status, 201);
    const tesla = await srv.api('POST', '/v1/vehicles', { vin: '5YJYGDEE8MF731946', make: 'Tesla', model: 'Model Y', owner_id: paul.json.id });
    assert.equal(tesla.status, 201);
    await signIn(page, keys.desk);
    await typeAndEnter(page, 'DAH-HH 7');
    assert.match(await text(greeting(page)), /Frau Hofer/);
    // Paul's car has no plate: the household lists it by its VIN, and the VIN opens his card with it.
    const household = page.getByTestId('card').getByRole('region', { name: /Haushalt/ });
    assert.match(await text(household), /5YJYGDEE8MF731946 Tesla Model Y/);
    await household.getByRole('link', { name: /5YJYGDEE8MF731946/ }).click();
    await page.waitForFunction(() => /Herr Hofer/.test(document.querySelector('#card-greeting')?.textContent || ''));
    assert.equal(new URL(page.url()).hash, '#/vin/5YJYGDEE8MF731946');
    assert.match(await text(page.getByTestId('card').getByRole('region', { name: 'Fahrzeug' })), /Tesla Model Y.*FIN 5YJYGDEE8MF731946/);
    // Found by the end of its VIN in the box: the search result opens his card with the car.
    await box(page).fill('');
    await box(page).pressSequentially('731946', { delay: 20 });
    const listbox = page.getByRole('listbox');
    await listbox.getByRole('option', { name: /Paul Hofer/ }).waitFor();
    assert.match(await text(listbox.getByRole('option', { name: /Paul Hofer/ })), /5YJYGDEE8MF731946 Tesla Model Y/);
    await box(page).press('Enter');
    await page.waitForFunction((hash) => location.hash === hash, `#/c/${paul.json.id}/v/${tesla.json.id}`);
    assert.match(await text(greeting(page)), /Herr Hofer/);
    assert.match(await text(page.getByTestId('card').getByRole('region', { name: 'Fahrzeug' })), /Tesla Model Y/);
});

deskTest('nobody has the plate: the page says so; only a manager is offered to create the customer', async (page) => {
    await signIn(page, keys.desk);
    await box(page).pressSequentially('M-XY 1', { delay: 20 });
    await box(page).press('Enter');
    await page.getByRole('heading', { name: 'Kein Kunde für Kennzeichen M-XY 1 gefunden' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Kunden anlegen?' }).count(), 0);

    await page.getByRole('button', { name: 'Abmelden' }).click();
    await signIn(page, keys.manager);
    await box(page).pressSequentially('M-XY 1', { delay: 20 });
    await box(page).press('Enter');
    await page.getByRole('button', { name: 'Kunden anlegen?' }).click();
    await page.getByLabel('Vorname').fill('Xaver');
    await page.getByLabel('Nachname').fill('Yildiz');
    await page.getByLabel('Marke').fill('Skoda');
    await page.getByRole('button', { name: 'Anlegen und Karte öffnen' }).click();
    await page.waitForFunction(() => /Herr Yildiz/.test(document.querySelector('#card-greeting')?.textContent || ''));
    assert.match(await text(page.getByTestId('card').getByRole('region', { name: 'Fahrzeug' })), /M-XY 1 Skoda/);
});

// ---- logging a visit ----------------------------------------------------------------------

deskTest('log a visit on Jonas Becker\'s card: it shows on the card at once, without a reload', async (page) => {
    await signIn(page, keys.desk);
    await typeAndEnter(page, 'M-JB 1187');
    // his complaint quiets sales, not service: a column per purpose
    const phone = page.locator('table.policy tbody tr').first().locator('td');
    assert.match(await text(phone.nth(0)), /Nein.*Ruhezeit|Nein/s);
    assert.match(await text(phone.nth(1)), /\bJa\b/);
    assert.doesNotMatch(await text(phone.nth(1)), /Nein/);
    const form = page.getByRole('form', { name: 'Besuch erfassen' });
    assert.match(await text(form), /Erfasst von Anna Berger/);
    await form.getByLabel('Art', { exact: true }).selectOption('service_visit');
    await form.getByLabel('Abteilung').selectOption('service');
    await form.getByLabel('Notiz', { exact: true }).fill('Winterreifen montiert, Kulanz für die Mehrkosten besprochen.');
    await form.getByLabel('Offenes Anliegen').fill('Serviceleitung meldet sich wegen der Aufbereitung.');
    await form.getByRole('radio', { name: 'zufrieden', exact: true }).check();
    await form.getByLabel(/Weiterempfehlung/).selectOption('8');
    await page.evaluate(() => { window.crmdLoads = performance.getEntriesByType('navigation').length; });
    await form.getByRole('button', { name: 'Besuch speichern' }).click();
    const row = page.locator('tr.fresh');
    await row.waitFor();
    const r = await text(row);
    assert.match(r, /Servicebesuch/);
    assert.match(r, /Anna Berger/);
    assert.match(r, /Winterreifen montiert/);
    assert.match(r, /Offen: Serviceleitung meldet sich/);
    assert.match(r, /75 %/);
    assert.match(r, /\b8$/);
    assert.equal(await page.evaluate(() => window.crmdLoads), 1);
    await page.getByTestId('status').getByText('Besuch gespeichert.').waitFor();
});

deskTest('a note that is too long is marked at its field; a refused outbound call shows the policy\'s own sentences', async (page) => {
    await signIn(page, keys.desk);
    await typeAndEnter(page, 'M-HW 2022');
    const form = page.getByRole('form', { name: 'Besuch erfassen' });
    await form.getByLabel('Notiz', { exact: true }).fill('ü'.repeat(6000));  // 12,000 bytes, the limit is 10,240
    await form.getByRole('button', { name: 'Besuch speichern' }).click();
    const note = form.getByLabel('Notiz', { exact: true });
    await page.waitForFunction(() => document.querySelector('#visit-summary')?.getAttribute('aria-invalid') === 'true');
    assert.match(await text(form.locator('#visit-summary-err')), /\S/);
    assert.equal(await note.evaluate((el) => el === document.activeElement), true);

    await note.fill('Rückruf zum Flottenangebot');
    await form.getByLabel('Art', { exact: true }).selectOption('phone_call');
    await form.getByLabel('Kanal').selectOption('phone');
    await form.getByLabel('Richtung').selectOption('outbound');
    await form.getByLabel('Zweck').selectOption('sales');
    await form.getByRole('button', { name: 'Besuch speichern' }).click();
    const refusal = form.getByTestId('policy-refusal');
    await refusal.waitFor();
    assert.match(await text(refusal), /3 outbound contacts in the last 30 days reach the limit of 3|3 ausgehende Kontakte/);
    assert.equal(await form.getByLabel(/Begründung/).isVisible(), true);
});

// ---- roles --------------------------------------------------------------------------------

deskTest('a desk key sees no Insights tab and a reader no visit form; a manager opens Insights', async (page) => {
    await signIn(page, keys.desk);
    assert.equal(await page.getByRole('link', { name: 'Auswertung' }).count(), 0);
    await page.getByRole('button', { name: 'Abmelden' }).click();

    await signIn(page, keys.reader);
    await typeAndEnter(page, 'M-HW 2022');
    assert.equal(await page.getByRole('form', { name: 'Besuch erfassen' }).count(), 0);
    await page.getByRole('button', { name: 'Abmelden' }).click();

    await signIn(page, keys.manager);
    await page.getByRole('link', { name: 'Auswertung' }).click();
    await page.getByRole('heading', { name: 'Auswertung' }).waitFor();
    // "/" from anywhere brings the box back.
    await page.keyboard.press('/');
    assert.equal(await box(page).evaluate((el) => el === document.activeElement), true);
});

// ---- languages ----------------------------------------------------------------------------

deskTest('an English browser gets English; the header button switches to German and back', async (page) => {
    /** @type {string[]} */
    const sent = [];
    page.on('request', (r) => { if (r.url().includes('/v1/greeting')) sent.push(r.headers()['accept-language']); });
    await open(page);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await page.getByLabel('Personal key').fill(keys.desk);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('combobox', { name: 'Find a customer' }).waitFor();
    await typeAndEnter(page, 'M-HW 2022');
    assert.match(await text(page.getByTestId('card')), /Customer since/);
    assert.match(await text(page.getByTestId('card')), /31,800 km/);
    await page.getByRole('button', { name: /Auf Deutsch umschalten/ }).click();
    await page.getByRole('combobox', { name: 'Kunden finden' }).waitFor();
    await page.getByTestId('card').getByText('Kunde seit', { exact: true }).waitFor();
    assert.match(await text(page.getByTestId('card')), /31\.800 km/);
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    assert.deepEqual(sent, ['en', 'de']);
    // The choice is kept for the session.
    await page.reload();
    await page.getByRole('combobox', { name: 'Kunden finden' }).waitFor();
}, { locale: 'en-US' });

// ---- states -------------------------------------------------------------------------------

test('the server stops mid-session: a banner says it is unreachable, and the page carries on when it is back', async () => {
    const own = await startCrmd();
    const page = await newPage(browser);
    try {
        const key = own.createKey('desk', 'Anna Berger');
        await signIn(page, key, own);
        await own.stop();
        await box(page).pressSequentially('M-HW 2022', { delay: 20 });
        await box(page).press('Enter');
        const banner = page.getByTestId('offline');
        await banner.getByText('Server nicht erreichbar').waitFor();
        // Trying again while it is still away changes nothing; once it is back, the page notices.
        await page.getByRole('button', { name: 'Erneut versuchen' }).click();
        await page.waitForTimeout(300);
        assert.equal(await banner.isVisible(), true);
        await own.restart();
        await banner.waitFor({ state: 'hidden' });
        // The card asked for while the server was away arrives.
        await page.waitForFunction(() => /Dr\. Wessling/.test(document.querySelector('#card-greeting')?.textContent || ''));
    } catch (err) {
        await keepScreenshot(page, 'desk server stops');
        throw err;
    } finally {
        await page.context().close();
        await own.cleanup();
    }
});

test('an empty database: the desk says so in a friendly way', async () => {
    const empty = await startCrmd({ demo: false });
    const page = await newPage(browser);
    try {
        await signIn(page, empty.createKey('desk', 'Anna Berger'), empty);
        await page.getByRole('heading', { name: 'Die Kundendatenbank ist leer' }).waitFor();
    } catch (err) {
        await keepScreenshot(page, 'desk empty database');
        throw err;
    } finally {
        await page.context().close();
        await empty.cleanup();
    }
});

// ---- accessibility ------------------------------------------------------------------------

deskTest('axe-core finds nothing serious or critical on the sign-in, the search results and the card', async (page) => {
    await open(page);
    await page.getByLabel('Persönlicher Schlüssel').waitFor();
    assert.deepEqual(await axeSerious(page), [], 'sign-in');
    await page.getByLabel('Persönlicher Schlüssel').fill(keys.desk);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await box(page).pressSequentially('Wessling', { delay: 20 });
    await page.getByRole('option').first().waitFor();
    assert.deepEqual(await axeSerious(page), [], 'search results');
    await typeAndEnter(page, 'M-HW 2022');
    assert.deepEqual(await axeSerious(page), [], 'card');
});

deskTest('on a tablet in landscape (1194×834) the card still reads in two columns', async (page) => {
    await signIn(page, keys.desk);
    await typeAndEnter(page, 'M-HW 2022');
    const cols = await page.locator('.cols > .col').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().left)));
    assert.equal(cols.length, 2);
    assert.ok(cols[1] > cols[0] + 300, `columns at ${cols}`);
}, { viewport: { width: 1194, height: 834 } });
