// @ts-check
// Wiring: sign-in, the views (sign-in, desk, insights), the URL hash, the language button, the
// "server unreachable" banner and the keyboard shortcuts. It decides what Enter in the box
// leads to (a plate card, the one search result, or the open list); the views only render.

import * as api from './api.js';
import * as session from './session.js';
import { t, lang, setLang, onLangChange, register, translate, formatDate, formatNumber } from './i18n.js';
import { mount as mountSearch, searchable } from './search.js';
import { renderCard, renderChoice, renderNoMatch } from './card.js';
import { visitForm } from './visit.js';
import { createOffer } from './create.js';
import { href, parse } from './route.js';
import { h } from './dom.js';

/** @typedef {import('./api.js').Lookup} Lookup */
/** @typedef {import('./api.js').Greeting} Greeting */
/** @typedef {import('./api.js').GreetingAnswer} GreetingAnswer */

const BUSY_AFTER_MS = 150;
const PING_EVERY_MS = 4000;

register({
    de: { 'skip': 'Zum Inhalt springen', 'card.opened': 'Karte geöffnet: {greeting}', 'choose.opened': 'Mehrere Kunden passen, bitte wählen.' },
    en: { 'skip': 'Skip to content', 'card.opened': 'Card opened: {greeting}', 'choose.opened': 'Several customers match, please choose.' },
});

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const views = { signin: $('signin'), desk: $('desk'), insights: $('insights') };
const cardHost = $('card-host');
const keyInput = /** @type {HTMLInputElement} */ ($('key'));

/** What the card area shows, to redraw it after a language change or a logged visit. */
/** @type {{lookup: Lookup, answer: GreetingAnswer} | null} */
let shown = null;
/** Or the "nobody matched" of this lookup or text. */
/** @type {{lookup: Lookup, text: string} | null} */
let missed = null;
/** @type {AbortController | null} */
let cardCtl = null;
let cardSeq = 0;
/** @type {(() => void) | null} */
let retryAction = null;
/** @type {ReturnType<typeof setInterval> | undefined} */
let pinger;
/** @type {Promise<typeof import('./metrics.js')> | null} */
let metrics = null;

const search = mountSearch($('search-host'), {
    onPick: openItem,
    onEnter: enter,
    onClear() {
        search.focus();
    },
});

/** @type {ReturnType<typeof setTimeout> | undefined} */
let announcing;

/** Say text in the status region (empty: say nothing, and forget what was said). */
function announce(/** @type {string} */ text) {
    const s = $('status');
    s.textContent = '';
    clearTimeout(announcing);
    // Set in a later task, so that repeated words are announced again.
    if (text)
        announcing = setTimeout(() => { s.textContent = text; }, 50);
}

/** @param {'signin' | 'desk' | 'insights'} name */
function showView(name) {
    for (const [k, el] of Object.entries(views))
        el.hidden = k !== name;
    const signedIn = name !== 'signin';
    $('nav').hidden = !signedIn;
    $('user').hidden = !signedIn;
    for (const [id, view] of [['nav-desk', 'desk'], ['nav-insights', 'insights']]) {
        if (view === name)
            $(id).setAttribute('aria-current', 'page');
        else
            $(id).removeAttribute('aria-current');
    }
}

// ---- sign-in ------------------------------------------------------------------------------

function showSignin(/** @type {string} */ message) {
    cardCtl?.abort();
    shown = null;
    missed = null;
    cardHost.replaceChildren();
    // Nothing of the last session stays in the page, not even hidden: the next person may differ.
    views.insights.replaceChildren();
    metrics = null;
    announce('');
    search.clear();
    showView('signin');
    $('signin-msg').textContent = message;
    keyInput.value = '';
    keyInput.focus();
}

function signedIn() {
    const me = /** @type {import('./api.js').Me} */ (session.me());
    $('user-name').textContent = me.name;
    $('user-role').textContent = t('role.' + me.role);
    $('nav-insights').hidden = !session.can('manager');
    api.hasCustomers().then((any) => { search.emptyDb = !any; }, () => {});
    route();
}

$('signin-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = /** @type {HTMLButtonElement} */ ($('signin-submit'));
    const msg = $('signin-msg');
    if (button.disabled)
        return;
    if (!keyInput.value.trim()) {
        msg.textContent = t('signin.empty');
        keyInput.focus();
        return;
    }
    msg.textContent = '';
    button.disabled = true;
    button.classList.add('busy');
    try {
        await session.signIn(keyInput.value);
        keyInput.value = '';
        signedIn();
    } catch (err) {
        if (!(err instanceof api.ApiError))
            throw err;
        keyInput.focus();
        if (err.status === 401 || err.status === 403)
            msg.textContent = t('signin.bad');
        else if (err.unreachable)
            msg.textContent = t('offline.text');
        else
            msg.textContent = t('signin.error', { detail: err.detail || err.title });
    } finally {
        button.disabled = false;
        button.classList.remove('busy');
    }
});

$('signout').addEventListener('click', () => {
    session.signOut();
    showSignin(t('signin.signedout'));
});

api.useKey(session.key);
api.onAuthLost(() => {
    if (!session.key())
        return;
    session.signOut();
    showSignin(t('signin.expired'));
});

// ---- reachability -------------------------------------------------------------------------

api.onReachability((up) => {
    const banner = $('offline');
    if (up && !banner.hidden) {
        banner.hidden = true;
        clearInterval(pinger);
        pinger = undefined;
        announce(t('offline.back'));
        const again = retryAction;
        retryAction = null;
        again?.();
        search.retry();
    } else if (!up && banner.hidden) {
        banner.hidden = false;
        pinger = setInterval(() => api.ping().catch(() => {}), PING_EVERY_MS);
    }
});
$('retry').addEventListener('click', () => api.ping().catch(() => {}));

/**
 * Show a failure of a view's request: the banner covers "unreachable" (and keeps `again` for when
 * the server is back), the sign-in covers lost keys; the rest goes into the card area.
 * @param {unknown} err
 * @param {() => void} again
 */
function failed(err, again) {
    if (err instanceof DOMException && err.name === 'AbortError')
        return;
    if (!(err instanceof api.ApiError))
        throw err;
    if (err.unreachable) {
        retryAction = again;
        return;
    }
    if (err.status === 401 || err.status === 403)
        return;
    const text = err.status >= 500 || err.status === 429 ? t('error.server', { status: err.status }) : t('error.generic', { detail: err.detail || err.title });
    cardHost.replaceChildren(h('section', { class: 'card error', role: 'alert' }, h('p', null, text)));
}

// ---- the card -----------------------------------------------------------------------------

/**
 * Fetch a card (aborting the one before) with a busy state after BUSY_AFTER_MS.
 * @param {Lookup} lookup
 * @returns {Promise<GreetingAnswer>}
 */
async function fetchCard(lookup) {
    cardCtl?.abort();
    const ctl = cardCtl = new AbortController();
    cardHost.dataset.busyLabel = t('busy');
    const busy = setTimeout(() => cardHost.classList.add('loading'), BUSY_AFTER_MS);
    cardHost.setAttribute('aria-busy', 'true');
    try {
        return await api.greeting(lookup, { signal: ctl.signal });
    } finally {
        clearTimeout(busy);
        if (cardCtl === ctl) {
            cardHost.classList.remove('loading');
            cardHost.removeAttribute('aria-busy');
        }
    }
}

/**
 * Put an answer on the page.
 * @param {Lookup} lookup
 * @param {GreetingAnswer} answer
 * @param {{focus?: 'card' | 'box', fresh?: string | null}} [o]
 */
function show(lookup, answer, o = {}) {
    shown = { lookup, answer };
    missed = null;
    if (answer.kind === 'choose') {
        cardHost.replaceChildren(renderChoice(answer.choice));
        announce(t('choose.opened'));
        focusCard(o.focus === 'box' ? 'first' : 'card');
        return;
    }
    const g = answer.card;
    const me = session.me();
    const v = g.vehicle;
    // What was typed into the form for the same person survives a redraw (another language).
    const before = /** @type {HTMLFormElement | null} */ (cardHost.querySelector(`[data-customer-id="${g.customer.id}"] form.visit`));
    const visit = session.can('desk') && me ? visitForm({
        from: o.fresh ? null : before,
        customerId: g.customer.id,
        vehicleId: v ? v.id : null,
        car: v ? [v.plate || v.vin, v.make, v.model].filter(Boolean).join(' ') : null,
        staff: me.name,
        onSaved: (tp) => reload({ fresh: tp.id }),
    }) : null;
    cardHost.replaceChildren(renderCard(g, { visit, fresh: o.fresh }));
    if (performance.getEntriesByName('desk-enter').length) {
        performance.measure('desk-enter-to-card', 'desk-enter');
        performance.clearMarks('desk-enter');
    }
    if (o.fresh) {
        /** @type {HTMLElement | null} */ (cardHost.querySelector('tr.fresh'))?.focus();
        announce(t('visit.saved'));
    } else {
        announce(t('card.opened', { greeting: g.greeting }));
        if (o.focus !== 'box')
            focusCard('card');
    }
}

/** @param {'card' | 'first'} what  the card's heading, or the first candidate */
function focusCard(what) {
    const el = what === 'first' ? cardHost.querySelector('a') : cardHost.querySelector('h2');
    /** @type {HTMLElement | null} */ (el)?.focus();
}

/**
 * The card of a customer with a car; when the car is no longer theirs (422) or gone (404), their
 * card without it. Other lookups as they are.
 * @param {Lookup} lookup
 * @returns {Promise<{lookup: Lookup, answer: GreetingAnswer}>}
 */
async function fetchCardOrPerson(lookup) {
    try {
        return { lookup, answer: await fetchCard(lookup) };
    } catch (err) {
        if (!lookup.customer_id || !lookup.vehicle_id || !(err instanceof api.ApiError) || (err.status !== 404 && err.status !== 422))
            throw err;
        const person = { customer_id: lookup.customer_id };
        return { lookup: person, answer: await fetchCard(person) };
    }
}

/**
 * Open the card of a lookup (a pick, a link, Back): fetch, show, and remember it in the history.
 * @param {Lookup} lookup
 * @param {{push?: boolean, want?: string, focus?: 'card' | 'box'}} [o]
 *   want: the customer picked in the list, whose card it must be
 */
async function openCard(lookup, o = {}) {
    const my = ++cardSeq;
    try {
        const asked = href(lookup);
        let answer;
        ({ lookup, answer } = await fetchCardOrPerson(lookup));
        // A plate may lead elsewhere (shared, or of a sold car): open the card of the one wanted.
        const other = answer.kind === 'choose' || answer.card.customer.id !== o.want;
        if (o.want && other) {
            lookup = { customer_id: o.want };
            answer = await fetchCard(lookup);
        }
        if (my !== cardSeq)
            return;
        if (o.push)
            navigate(href(lookup));
        else if (href(lookup) !== asked && location.hash === asked)
            history.replaceState(null, '', href(lookup));  // the address says what is shown
        search.settle();
        show(lookup, answer, { focus: o.focus });
    } catch (err) {
        if (my !== cardSeq)
            return;
        if (err instanceof api.ApiError && (err.status === 404 || err.status === 400)) {
            if (o.push)
                navigate(href(lookup));
            noMatch(lookup);
            return;
        }
        failed(err, () => openCard(lookup, o));
    }
}

/**
 * A search result: the customer, with the car when a plate (now, before, its beginning) or VIN matched (so the card shows it).
 * @param {import('./search.js').Item} item
 */
function openItem(item) {
    const byCar = ['plate', 'plate_history', 'plate_prefix', 'vin'].includes(item.match.kind) && item.vehicle;
    const lookup = byCar ? { customer_id: item.customer_id, vehicle_id: item.vehicle.id } : { customer_id: item.customer_id };
    openCard(lookup, { push: true, want: item.customer_id, focus: 'box' });
}

/**
 * Nobody matched a lookup, or (with an empty lookup) the text typed.
 * @param {Lookup} lookup
 * @param {string} [text]
 */
function noMatch(lookup, text = '') {
    shown = null;
    missed = { lookup, text };
    const by = lookup.plate ? 'plate' : lookup.vin ? 'vin' : lookup.customer_id ? 'customer_id' : 'text';
    const q = lookup.plate || lookup.vin || lookup.customer_id || text;
    const offer = session.can('manager') && (by === 'plate' || by === 'vin')
        ? createOffer(lookup.plate || '', (id, plate) => openCard(plate ? { plate } : { customer_id: id }, { push: true, want: id })) : null;
    cardHost.replaceChildren(renderNoMatch(by, q, offer));
    announce(t('nomatch.' + by, { q }));
}

/** Re-fetch what is shown (after a visit was logged, or in the other language). */
async function reload(/** @type {{fresh?: string | null}} */ o = {}) {
    if (!shown)
        return;
    const { lookup } = shown;
    const my = ++cardSeq;
    try {
        const answer = await fetchCard(lookup);
        if (my === cardSeq)
            show(lookup, answer, { focus: 'box', fresh: o.fresh });
    } catch (err) {
        if (my === cardSeq)
            failed(err, () => reload(o));
    }
}

/** Plates are 2-10 letters and digits, with at least one of each, once separators are gone. */
function plateLike(/** @type {string} */ text) {
    const s = text.normalize('NFC').replace(/[\s.-]/g, '');
    return /^[A-ZÄÖÜ0-9]{2,10}$/i.test(s) && /\d/.test(s) && /\p{L}/u.test(s);
}

/**
 * Enter in the box with no result highlighted: a scanner or plate reader sends the plate and
 * Enter, so try the text as a plate first; else the one search result; else keep the list open.
 * @param {string} text
 */
async function enter(text) {
    performance.clearMarks('desk-enter');
    performance.mark('desk-enter');
    const my = ++cardSeq;
    const results = searchable(text) ? search.resultsFor(text) : null;
    results?.catch(() => {});
    let plateMissing = false;
    if (plateLike(text)) {
        try {
            const answer = await fetchCard({ plate: text });
            if (my !== cardSeq)
                return;
            navigate(href({ plate: text }));
            search.settle();
            show({ plate: text }, answer, { focus: 'box' });
            return;
        } catch (err) {
            if (my !== cardSeq)
                return;
            if (!(err instanceof api.ApiError) || (err.status !== 404 && err.status !== 400))
                return failed(err, () => enter(text));
            plateMissing = err.status === 404;
        }
    }
    let items = [];
    try {
        items = results ? (await results).items : [];
    } catch (err) {
        if (my === cardSeq)
            failed(err, () => enter(text));
        return;
    }
    if (my !== cardSeq)
        return;
    if (items.length === 1)
        return openItem(items[0]);
    if (items.length > 1) {
        search.open();
        return;
    }
    if (plateMissing) {
        navigate(href({ plate: text }));
        noMatch({ plate: text });
    } else {
        noMatch({}, text);
    }
}

// ---- views and history --------------------------------------------------------------------

/** A new history entry for a card, without a second load (popstate is not fired by pushState). */
function navigate(/** @type {string} */ hash) {
    if (location.hash !== hash)
        history.pushState(null, '', hash);
}

function openInsights() {
    showView('insights');
    if (!metrics) {
        metrics = import('./metrics.js');
        metrics.then((m) => m.mount(views.insights, { api, t, lang, register, formatDate, formatNumber }),
            (err) => { metrics = null; views.insights.textContent = t('error.generic', { detail: String(err) }); });
    }
    views.insights.tabIndex = -1;
    views.insights.focus();
}

/** Show what the URL says (start, Back and Forward, links in the card). */
function route() {
    if (!session.me())
        return;
    if (!location.hash.startsWith('#/') && location.hash)
        return;  // the skip link
    const r = parse();
    if (r.view === 'insights' && session.can('manager'))
        return openInsights();
    showView('desk');
    if (r.view === 'desk' && r.lookup) {
        if (!shown || href(shown.lookup) !== href(r.lookup))
            openCard(r.lookup, { focus: 'card' });
    } else {
        cardCtl?.abort();
        shown = null;
        cardHost.replaceChildren();
        search.focus();
    }
}
window.addEventListener('popstate', route);

// ---- language and keys --------------------------------------------------------------------

$('lang').addEventListener('click', () => setLang(lang() === 'de' ? 'en' : 'de'));
onLangChange(() => {
    translate(document);
    document.title = t('app.title');
    search.texts();
    const me = session.me();
    if (me)
        $('user-role').textContent = t('role.' + me.role);
    // The card's sentences come from the server in the request's language: ask again.
    if (shown)
        reload();
    else if (missed && cardHost.querySelector('.nomatch'))
        noMatch(missed.lookup, missed.text);
    metrics?.then((m) => m.refresh?.(), () => {});
});

document.addEventListener('keydown', (e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    const typing = target.closest('input, textarea, select, [contenteditable]');
    if ((e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) || (e.altKey && e.code === 'KeyS')) {
        if (!session.me())
            return;
        e.preventDefault();
        if (views.desk.hidden)
            history.pushState(null, '', '#/');
        showView('desk');
        search.focus();
        search.input.select();
    }
});

// ---- start --------------------------------------------------------------------------------

async function start() {
    translate(document);
    document.title = t('app.title');
    if (!session.key())
        return showSignin('');
    try {
        await session.restore();
        signedIn();
    } catch (err) {
        if (err instanceof api.ApiError && err.unreachable) {
            showSignin('');
            $('signin-msg').textContent = t('offline.text');
            retryAction = start;
        } else {
            showSignin(t('signin.expired'));
        }
    }
}
start();
