// @ts-check
// Placeholder for the manager tab ("Auswertung"/"Insights"): another engineer replaces this file
// with the experience metrics view. The contract main.js relies on: mount(section, deps) when
// the tab is first opened (again, with an emptied section, after a sign-out and a new sign-in),
// and refresh() after a language change.

/**
 * @typedef {object} Deps
 * @property {typeof import('./api.js')} api
 * @property {typeof import('./i18n.js').t} t
 * @property {typeof import('./i18n.js').lang} lang
 * @property {typeof import('./i18n.js').register} register
 * @property {typeof import('./i18n.js').formatDate} formatDate
 * @property {typeof import('./i18n.js').formatNumber} formatNumber
 */

/** @type {HTMLElement | null} */
let root = null;
/** @type {Deps | null} */
let deps = null;

/**
 * @param {HTMLElement} section
 * @param {Deps} d
 */
export function mount(section, d) {
    root = section;
    deps = d;
    d.register({
        de: { 'metrics.title': 'Auswertung', 'metrics.soon': 'Die Auswertung der Kundenerfahrung folgt hier.' },
        en: { 'metrics.title': 'Insights', 'metrics.soon': 'The customer experience insights will appear here.' },
    });
    refresh();
}

export function refresh() {
    if (!root || !deps)
        return;
    const h2 = document.createElement('h2');
    h2.textContent = deps.t('metrics.title');
    const p = document.createElement('p');
    p.textContent = deps.t('metrics.soon');
    root.replaceChildren(h2, p);
}
