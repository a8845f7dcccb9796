// @ts-check
// The page's words in German and English, the language choice (navigator.languages, then the
// header button, kept in sessionStorage) and Intl formatting of dates and numbers. Views add
// their own strings with register(); sentences from the API come already translated.

/** @typedef {'de' | 'en'} Lang */
/** @typedef {string | {one: string, other: string}} Entry */
/** @typedef {{de: Record<string, Entry>, en: Record<string, Entry>}} Dict */

const STORE = 'crmd.lang';

/** @type {Dict} */
const dict = { de: {}, en: {} };

/** @type {Lang} */
let current = initial();

/** @type {Set<(l: Lang) => void>} */
const listeners = new Set();

/** @returns {Lang} */
function initial() {
    const saved = sessionStorage.getItem(STORE);
    if (saved === 'de' || saved === 'en')
        return saved;
    for (const l of navigator.languages || [navigator.language]) {
        const low = (l || '').toLowerCase();
        if (low.startsWith('de'))
            return 'de';
        if (low.startsWith('en'))
            return 'en';
    }
    return 'en';
}

/** Add strings: `register({de: {key: 'Text'}, en: {key: 'Text'}})`. Later keys win. */
export function register(/** @type {Partial<Dict>} */ d) {
    Object.assign(dict.de, d.de || {});
    Object.assign(dict.en, d.en || {});
}

/** @returns {Lang} */
export function lang() {
    return current;
}

/** Switch the language, remember it for this session, tell the listeners. */
export function setLang(/** @type {Lang} */ l) {
    if (l !== 'de' && l !== 'en')
        return;
    current = l;
    sessionStorage.setItem(STORE, l);
    document.documentElement.lang = l;
    for (const cb of listeners)
        cb(l);
}

/** Call cb(lang) after every language change. */
export function onLangChange(/** @type {(l: Lang) => void} */ cb) {
    listeners.add(cb);
}

/**
 * The string for key in the current language (English, then the key itself, when missing),
 * with {name} replaced by vars.name; an entry {one, other} is chosen by vars.n.
 * @param {string} key
 * @param {Record<string, string | number | null | undefined>} [vars]
 * @returns {string}
 */
export function t(key, vars) {
    let e = dict[current][key] ?? dict.en[key] ?? key;
    if (typeof e === 'object') {
        const n = Number(vars?.n ?? 0);
        e = new Intl.PluralRules(current).select(n) === 'one' ? e.one : e.other;
    }
    if (!vars)
        return e;
    return e.replace(/\{(\w+)\}/g, (m, k) => {
        const v = vars[k];
        if (v === undefined || v === null)
            return '';
        return typeof v === 'number' ? formatNumber(v) : String(v);
    });
}

/**
 * A date (YYYY-MM-DD, shown as that calendar day) or a timestamp (shown in local time).
 * @param {string | null | undefined} value
 * @param {{time?: boolean, style?: 'short' | 'medium' | 'long' | 'full', weekday?: boolean}} [opt]
 */
export function formatDate(value, opt = {}) {
    if (!value)
        return '';
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const d = new Date(dateOnly ? value + 'T00:00:00Z' : value);
    if (Number.isNaN(d.getTime()))
        return value;
    /** @type {Intl.DateTimeFormatOptions} */
    const o = opt.weekday
        ? { weekday: 'long', day: 'numeric', month: 'long' }
        : { dateStyle: opt.style || 'medium' };
    if (opt.time && !dateOnly)
        o.timeStyle = 'short';
    if (dateOnly)
        o.timeZone = 'UTC';
    return new Intl.DateTimeFormat(current, o).format(d);
}

/** "in 18 Tagen", "vor 12 Tagen", "heute". */
export function formatDays(/** @type {number} */ days) {
    return new Intl.RelativeTimeFormat(current, { numeric: 'auto' }).format(days, 'day');
}

/**
 * @param {number | null | undefined} n
 * @param {Intl.NumberFormatOptions} [opt]
 */
export function formatNumber(n, opt) {
    if (n === null || n === undefined || Number.isNaN(n))
        return '';
    return new Intl.NumberFormat(current, opt).format(n);
}

/**
 * Fill the static page: data-i18n sets the text, data-i18n-label the aria-label,
 * data-i18n-placeholder the placeholder.
 */
export function translate(/** @type {ParentNode} */ root) {
    for (const el of root.querySelectorAll('[data-i18n]'))
        el.textContent = t(/** @type {string} */ (el.getAttribute('data-i18n')));
    for (const el of root.querySelectorAll('[data-i18n-label]'))
        el.setAttribute('aria-label', t(/** @type {string} */ (el.getAttribute('data-i18n-label'))));
    for (const el of root.querySelectorAll('[data-i18n-placeholder]'))
        el.setAttribute('placeholder', t(/** @type {string} */ (el.getAttribute('data-i18n-placeholder'))));
}

document.documentElement.lang = current;

register({
    de: {
        'app.title': 'crmd Empfang',
        'app.brand': 'crmd Empfang',
        'nav.label': 'Bereiche',
        'nav.desk': 'Empfang',
        'nav.insights': 'Auswertung',
        'lang.switch': 'English',
        'lang.switch.label': 'Sprache: Deutsch. Switch to English',
        'user.signedin': 'Angemeldet: {name}',
        'user.role': 'Rolle: {role}',
        'signout': 'Abmelden',
        'role.reader': 'Lesen',
        'role.desk': 'Empfang',
        'role.manager': 'Leitung',
        'role.admin': 'Administration',
        'signin.title': 'Anmelden',
        'signin.intro': 'Melden Sie sich mit Ihrem persönlichen Schlüssel an. Er gilt, bis Sie sich abmelden oder den Browser schließen.',
        'signin.key': 'Persönlicher Schlüssel',
        'signin.key.hint': 'Beginnt mit „crmd_“. Ihre Administration gibt ihn aus.',
        'signin.submit': 'Anmelden',
        'signin.busy': 'Prüfe …',
        'signin.bad': 'Dieser Schlüssel ist nicht gültig. Bitte prüfen Sie ihn oder fragen Sie Ihre Administration nach einem neuen.',
        'signin.empty': 'Bitte geben Sie Ihren Schlüssel ein.',
        'signin.expired': 'Ihr Schlüssel gilt nicht mehr. Bitte melden Sie sich mit einem gültigen Schlüssel neu an.',
        'signin.signedout': 'Sie sind abgemeldet.',
        'signin.error': 'Die Anmeldung ist fehlgeschlagen: {detail}',
        'offline.text': 'Server nicht erreichbar – Ihre Eingaben bleiben erhalten, die Seite versucht es weiter.',
        'offline.retry': 'Erneut versuchen',
        'offline.back': 'Verbindung wiederhergestellt.',
        'busy': 'Lädt …',
        'error.generic': 'Das hat nicht geklappt: {detail}',
        'error.server': 'Der Server meldet einen Fehler ({status}). Bitte später erneut versuchen.',
        'yes': 'ja',
        'no': 'nein',
        'none': '–',
    },
    en: {
        'app.title': 'crmd Desk',
        'app.brand': 'crmd Desk',
        'nav.label': 'Sections',
        'nav.desk': 'Desk',
        'nav.insights': 'Insights',
        'lang.switch': 'Deutsch',
        'lang.switch.label': 'Language: English. Auf Deutsch umschalten',
        'user.signedin': 'Signed in: {name}',
        'user.role': 'Role: {role}',
        'signout': 'Sign out',
        'role.reader': 'Reader',
        'role.desk': 'Desk',
        'role.manager': 'Manager',
        'role.admin': 'Admin',
        'signin.title': 'Sign in',
        'signin.intro': 'Sign in with your personal key. It stays valid until you sign out or close the browser.',
        'signin.key': 'Personal key',
        'signin.key.hint': 'Starts with "crmd_". Your administrator hands it out.',
        'signin.submit': 'Sign in',
        'signin.busy': 'Checking …',
        'signin.bad': 'This key is not valid. Please check it or ask your administrator for a new one.',
        'signin.empty': 'Please enter your key.',
        'signin.expired': 'Your key is no longer valid. Please sign in again with a valid key.',
        'signin.signedout': 'You are signed out.',
        'signin.error': 'Signing in failed: {detail}',
        'offline.text': 'Server unreachable – your input is kept, the page keeps trying.',
        'offline.retry': 'Try again',
        'offline.back': 'Connection restored.',
        'busy': 'Loading …',
        'error.generic': 'That did not work: {detail}',
        'error.server': 'The server reports an error ({status}). Please try again later.',
        'yes': 'yes',
        'no': 'no',
        'none': '–',
    },
});
