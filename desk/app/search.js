// @ts-check
// The one box: a WAI-ARIA combobox over GET /v1/search, debounced, with stale answers aborted
// and ignored. It owns the box and its list; what Enter or a pick leads to (the plate card, the
// candidates) is main.js's business, through the callbacks given to mount().

import * as api from './api.js';
import { t, register } from './i18n.js';

/** @typedef {import('./api.js').SearchResults} SearchResults */
/** @typedef {SearchResults['items'][number]} Item */

const DEBOUNCE_MS = 150;
const BUSY_AFTER_MS = 250;

register({
    de: {
        'search.label': 'Kunden finden',
        'search.placeholder': 'Kennzeichen, Name, Telefon, E-Mail oder FIN',
        'search.hint': 'Enter öffnet die Karte · Pfeiltasten wählen · Esc leert · „/“ oder Alt+S springt hierher',
        'search.results': 'Treffer',
        'search.count': { one: '1 Treffer – Pfeiltasten wählen, Enter öffnet.', other: '{n} Treffer – Pfeiltasten wählen, Enter öffnet.' },
        'search.none': 'Keine Treffer für „{q}“.',
        'search.busy': 'Suche …',
        'search.emptydb': 'Noch keine Kunden gespeichert. Sobald Kunden angelegt oder importiert sind, finden Sie sie hier.',
        'search.emptydb.title': 'Die Kundendatenbank ist leer',
        'match.plate': 'Kennzeichen',
        'match.plate_history': 'früheres Kennzeichen',
        'match.plate_prefix': 'Kennzeichenanfang',
        'match.vin': 'FIN',
        'match.phone': 'Telefon',
        'match.phone_tail': 'Telefon endet auf',
        'match.email': 'E-Mail',
        'match.name_exact': 'Name',
        'match.name_prefix': 'Namensanfang',
        'match.name_phonetic': 'klingt wie',
        'match.company': 'Firma',
        'search.nocar': 'kein Fahrzeug',
    },
    en: {
        'search.label': 'Find a customer',
        'search.placeholder': 'Plate, name, phone, e-mail or VIN',
        'search.hint': 'Enter opens the card · arrow keys choose · Esc clears · "/" or Alt+S jumps here',
        'search.results': 'Results',
        'search.count': { one: '1 result – arrow keys choose, Enter opens.', other: '{n} results – arrow keys choose, Enter opens.' },
        'search.none': 'Nothing found for "{q}".',
        'search.busy': 'Searching …',
        'search.emptydb': 'No customers stored yet. Once customers are created or imported, you find them here.',
        'search.emptydb.title': 'The customer database is empty',
        'match.plate': 'Plate',
        'match.plate_history': 'Earlier plate',
        'match.plate_prefix': 'Plate starts with',
        'match.vin': 'VIN',
        'match.phone': 'Phone',
        'match.phone_tail': 'Phone ends with',
        'match.email': 'E-mail',
        'match.name_exact': 'Name',
        'match.name_prefix': 'Name starts with',
        'match.name_phonetic': 'sounds like',
        'match.company': 'Company',
        'search.nocar': 'no car',
    },
});

/** Text worth searching: two characters, one of them a letter or digit. */
export function searchable(/** @type {string} */ q) {
    return q.trim().length >= 2 && /[\p{L}\p{N}]/u.test(q);
}

/**
 * @param {string} tag
 * @param {string} [cls]
 * @param {string} [text]
 */
function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls)
        e.className = cls;
    if (text !== undefined)
        e.textContent = text;
    return e;
}

/**
 * Build the box into `host`.
 * @param {HTMLElement} host
 * @param {{onPick: (item: Item) => void, onEnter: (text: string) => void, onClear: () => void}} cb
 */
export function mount(host, cb) {
    const form = /** @type {HTMLFormElement} */ (el('form', 'search'));
    form.setAttribute('role', 'search');
    form.noValidate = true;
    const label = /** @type {HTMLLabelElement} */ (el('label', 'search-label'));
    label.htmlFor = 'q';
    const wrap = el('div', 'search-box');
    const input = /** @type {HTMLInputElement} */ (el('input'));
    Object.assign(input, { id: 'q', type: 'text', autocomplete: 'off', spellcheck: false });
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', 'results');
    input.setAttribute('aria-describedby', 'q-hint');
    input.setAttribute('autocapitalize', 'off');
    const spin = el('span', 'spinner');
    spin.setAttribute('aria-hidden', 'true');
    wrap.append(input, spin);
    const hint = el('p', 'hint');
    hint.id = 'q-hint';
    const list = el('ul', 'results');
    list.id = 'results';
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    const status = el('p', 'search-status');
    status.setAttribute('role', 'status');
    const empty = el('div', 'empty-state');
    empty.hidden = true;
    wrap.append(list);
    form.append(label, wrap, hint, status);
    host.append(form, empty);

    /** @type {Item[]} */
    let items = [];
    let active = -1;
    let itemsFor = '';
    let emptyDb = false;
    /** A card was opened for the box's text: answers arriving now stay folded. */
    let settled = false;
    let seq = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    /** @type {{q: string, promise: Promise<SearchResults>, ctl: AbortController} | null} */
    let pending = null;

    function texts() {
        label.textContent = t('search.label');
        input.placeholder = t('search.placeholder');
        hint.textContent = t('search.hint');
        list.setAttribute('aria-label', t('search.results'));
        empty.replaceChildren(el('h2', '', t('search.emptydb.title')), el('p', '', t('search.emptydb')));
        render();
    }

    function expand(/** @type {boolean} */ open) {
        list.hidden = !open;
        input.setAttribute('aria-expanded', String(open));
        if (!open)
            setActive(-1);
    }

    function setActive(/** @type {number} */ i) {
        active = i;
        for (const [j, li] of [...list.children].entries())
            li.setAttribute('aria-selected', String(j === i));
        if (i >= 0) {
            input.setAttribute('aria-activedescendant', 'results-' + i);
            list.children[i]?.scrollIntoView({ block: 'nearest' });
        } else {
            input.removeAttribute('aria-activedescendant');
        }
    }

    function render() {
        list.replaceChildren(...items.map((it, i) => option(it, i)));
        empty.hidden = !(emptyDb && items.length === 0);
        if (!itemsFor || settled) {
            status.textContent = '';
        } else if (items.length) {
            status.textContent = t('search.count', { n: items.length });
        } else {
            status.textContent = emptyDb ? t('search.emptydb.title') : t('search.none', { q: itemsFor });
        }
        expand(items.length > 0 && !settled && document.activeElement === input);
    }

    /** @param {Item} it @param {number} i */
    function option(it, i) {
        const li = el('li', 'option');
        li.id = 'results-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.dataset.customerId = it.customer_id;
        const top = el('span', 'option-top');
        top.append(el('span', 'option-name', it.name));
        if (it.city)
            top.append(el('span', 'option-city', it.city));
        const match = el('span', 'option-match');
        match.append(el('span', 'option-kind', t('match.' + it.match.kind)), ' ' + it.match.value);
        const v = it.vehicle;
        const car = el('span', 'option-car');
        if (v) {
            if (v.plate)
                car.append(el('span', 'plate', v.plate), ' ');
            else if (v.vin)
                car.append(el('span', 'vin', v.vin), ' ');
            car.append([v.make, v.model].filter(Boolean).join(' '));
        } else {
            car.textContent = t('search.nocar');
        }
        li.append(top, match, car);
        li.addEventListener('mousedown', (e) => e.preventDefault());
        li.addEventListener('click', () => pick(i));
        return li;
    }

    function pick(/** @type {number} */ i) {
        const it = items[i];
        if (!it)
            return;
        expand(false);
        cb.onPick(it);
    }

    /**
     * The results for q: the ones shown, the request under way, or a new request now.
     * @param {string} q
     * @returns {Promise<SearchResults>}
     */
    function resultsFor(q) {
        clearTimeout(timer);
        if (itemsFor === q && !pending)
            return Promise.resolve({ items });
        if (pending && pending.q === q)
            return pending.promise;
        return run(q);
    }

    /** @param {string} q */
    function run(q) {
        pending?.ctl.abort();
        const my = ++seq;
        const ctl = new AbortController();
        const busy = setTimeout(() => form.classList.add('busy'), BUSY_AFTER_MS);
        form.setAttribute('aria-busy', 'true');
        const promise = api.search(q, { limit: 8, signal: ctl.signal });
        pending = { q, promise, ctl };
        promise.then((r) => {
            if (my !== seq)
                return;
            items = r.items;
            itemsFor = q;
            render();
        }, (err) => {
            // Unreachable and lost keys are main.js's to show; a refused query is said here.
            if (my === seq && err instanceof api.ApiError && err.status >= 400 && err.status !== 401 && err.status !== 403)
                status.textContent = err.detail || err.title;
        }).finally(() => {
            clearTimeout(busy);
            if (my === seq) {
                pending = null;
                form.classList.remove('busy');
                form.removeAttribute('aria-busy');
            }
        });
        return promise;
    }

    function clear() {
        clearTimeout(timer);
        pending?.ctl.abort();
        pending = null;
        seq++;
        form.classList.remove('busy');
        form.removeAttribute('aria-busy');
        input.value = '';
        items = [];
        itemsFor = '';
        render();
    }

    input.addEventListener('input', () => {
        clearTimeout(timer);
        settled = false;
        const q = input.value.trim();
        if (!searchable(q)) {
            pending?.ctl.abort();
            pending = null;
            seq++;
            items = [];
            itemsFor = '';
            render();
            return;
        }
        timer = setTimeout(() => run(q), DEBOUNCE_MS);
    });

    input.addEventListener('keydown', (e) => {
        const n = items.length;
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            if (!n)
                return;
            e.preventDefault();
            if (list.hidden) {
                settled = false;
                expand(true);
                setActive(e.key === 'ArrowDown' ? 0 : n - 1);
            } else {
                setActive(e.key === 'ArrowDown' ? (active + 1) % n : (active - 1 + n) % n);
            }
        } else if (e.key === 'Enter') {
            e.preventDefault();
            if (!list.hidden && active >= 0)
                pick(active);
            else if (input.value.trim())
                cb.onEnter(input.value.trim());
        } else if (e.key === 'Escape') {
            e.preventDefault();
            clear();
            cb.onClear();
        } else if (e.key === 'Tab') {
            expand(false);
        }
    });
    input.addEventListener('focus', () => {
        if (items.length && !settled)
            expand(true);
    });
    input.addEventListener('blur', () => expand(false));
    form.addEventListener('submit', (e) => e.preventDefault());

    texts();

    return {
        input,
        texts,
        clear,
        resultsFor,
        focus() {
            input.focus();
        },
        /** Show the list (after Enter found no single answer). */
        open() {
            settled = false;
            render();
            expand(items.length > 0);
        },
        /** Select the box's text, so the next scan or keystroke replaces it. */
        settle() {
            settled = true;
            expand(false);
            status.textContent = '';
            input.select();
        },
        /** Ask again for the box's text if its answer never came (the server was away). */
        retry() {
            const q = input.value.trim();
            if (searchable(q) && !settled && !pending && itemsFor !== q)
                run(q);
        },
        set emptyDb(/** @type {boolean} */ v) {
            emptyDb = v;
            render();
        },
    };
}
