// @ts-check
// The session: the signed-in person's key (in sessionStorage only, so it ends with the tab and
// never reaches localStorage, the URL or a log) and their record from GET /v1/me. This is the
// page's only global state; everything else is derived from the API on demand.

import * as api from './api.js';

/** @typedef {import('./api.js').Me} Me */
/** @typedef {import('./api.js').Role} Role */

const KEY = 'crmd.key';
const ROLES = ['reader', 'desk', 'manager', 'admin'];

/** @type {Me | null} */
let who = null;

/** The key of this tab's session, or null. */
export function key() {
    return sessionStorage.getItem(KEY);
}

/** The signed-in key's record, or null before sign-in. */
export function me() {
    return who;
}

/** Whether the signed-in role includes `role` (reader < desk < manager < admin). */
export function can(/** @type {Role} */ role) {
    return !!who && ROLES.indexOf(who.role) >= ROLES.indexOf(role);
}

/**
 * Check a key with GET /v1/me and keep it for this tab. Rejects with the ApiError (401 for a bad
 * key, status 0 when the server is unreachable) and keeps nothing then.
 * @param {string} k
 * @returns {Promise<Me>}
 */
export async function signIn(k) {
    const m = await api.me({ key: k.trim() });
    sessionStorage.setItem(KEY, k.trim());
    who = m;
    return m;
}

/**
 * After a reload: check the kept key again. Resolves null when there is none; rejects like
 * signIn (a 401 also forgets the key).
 * @returns {Promise<Me | null>}
 */
export async function restore() {
    const k = key();
    if (!k)
        return null;
    try {
        who = await api.me({ key: k });
        return who;
    } catch (e) {
        if (e instanceof api.ApiError && (e.status === 401 || e.status === 403))
            signOut();
        throw e;
    }
}

/** Forget the key and the record. */
export function signOut() {
    sessionStorage.removeItem(KEY);
    who = null;
}
