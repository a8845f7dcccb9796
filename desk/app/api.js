// @ts-check
// The page's only caller of fetch: adds the key and Accept-Language, turns problem+json into one
// error shape (ApiError), tells "server unreachable" (fetch threw) from HTTP errors, and reports
// both lost keys (401/403) and reachability to whoever listens (main.js). Views never see fetch.

import { lang } from './i18n.js';

/** @typedef {import('../types/api').components['schemas']} S */
/** @typedef {S['Greeting']} Greeting */
/** @typedef {S['GreetingCandidates']} GreetingCandidates */
/** @typedef {S['SearchResults']} SearchResults */
/** @typedef {S['Touchpoint']} Touchpoint */
/** @typedef {S['TouchpointCreate']} TouchpointCreate */
/** @typedef {S['Customer']} Customer */
/** @typedef {S['CustomerCreate']} CustomerCreate */
/** @typedef {S['Vehicle']} Vehicle */
/** @typedef {S['VehicleCreate']} VehicleCreate */
/** @typedef {S['ExperienceMetrics']} ExperienceMetrics */
/** @typedef {S['Problem']} Problem */
/** @typedef {S['CustomerList']} CustomerList */
/** @typedef {S['Me']} Me */
/** @typedef {Me['role']} Role */
/**
 * One lookup of GET /v1/greeting, or customer_id with vehicle_id (that customer's card with that car).
 * @typedef {{plate?: string, vin?: string, phone?: string, email?: string, customer_id?: string, vehicle_id?: string}} Lookup
 */
/** @typedef {{kind: 'card', card: Greeting} | {kind: 'choose', choice: GreetingCandidates}} GreetingAnswer */

/** One error shape for every failure: HTTP problems, and status 0 when the server is unreachable. */
export class ApiError extends Error {
    /**
     * @param {number} status  0 when the request never got an answer
     * @param {string} title
     * @param {string} detail
     * @param {string} type  the problem type, or 'unreachable'
     * @param {Partial<Problem> & Record<string, unknown>} [problem]  the whole problem document
     */
    constructor(status, title, detail, type, problem) {
        super(detail || title);
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.type = type;
        this.problem = problem || {};
    }

    get unreachable() {
        return this.status === 0;
    }
}

/** @type {() => string | null} */
let keyProvider = () => null;
/** @type {(e: ApiError) => void} */
let authLost = () => {};
/** @type {(up: boolean) => void} */
let reachability = () => {};

/** Where the key comes from (session.js); called on every request. */
export function useKey(/** @type {() => string | null} */ fn) {
    keyProvider = fn;
}

/** Called when a key stops working (401, or 403 on a read every role may do). */
export function onAuthLost(/** @type {(e: ApiError) => void} */ fn) {
    authLost = fn;
}

/** Called with false when a request could not reach the server, true when one got an answer. */
export function onReachability(/** @type {(up: boolean) => void} */ fn) {
    reachability = fn;
}

/**
 * @typedef {object} RequestOptions
 * @property {Record<string, string | number | undefined>} [query]
 * @property {unknown} [body]  sent as JSON
 * @property {AbortSignal} [signal]
 * @property {string} [key]  a key to try instead of the session's (sign-in)
 * @property {boolean} [quiet]  do not report a lost key (sign-in checks a key itself)
 * @property {Record<string, string>} [headers]  more request headers (Idempotency-Key)
 */

/**
 * One request. Resolves {status, data} for 2xx and 300; rejects with ApiError otherwise, or
 * with the AbortError of an aborted signal.
 * @param {string} method
 * @param {string} path  below crmd's root, e.g. /v1/search
 * @param {RequestOptions} [o]
 * @returns {Promise<{status: number, data: any}>}
 */
export async function request(method, path, o = {}) {
    // Relative to the page (served at /desk/), so a reverse proxy may mount crmd under a prefix.
    const url = new URL('..' + path, document.baseURI);
    for (const [k, v] of Object.entries(o.query || {}))
        if (v !== undefined && v !== '')
            url.searchParams.set(k, String(v));
    /** @type {Record<string, string>} */
    const headers = { ...o.headers, 'Accept': 'application/json, application/problem+json', 'Accept-Language': lang() };
    const key = o.key ?? keyProvider();
    if (key)
        headers.Authorization = 'Bearer ' + key;
    if (o.body !== undefined)
        headers['Content-Type'] = 'application/json';
    /** @type {Response} */
    let res;
    try {
        res = await fetch(url, {
            method,
            headers,
            body: o.body === undefined ? undefined : JSON.stringify(o.body),
            signal: o.signal,
            cache: 'no-store',
            credentials: 'omit',
            redirect: 'error',
        });
    } catch (err) {
        if (o.signal?.aborted)
            throw err;
        reachability(false);
        throw new ApiError(0, 'unreachable', err instanceof Error ? err.message : String(err), 'unreachable');
    }
    reachability(true);
    const text = await res.text();
    /** @type {any} */
    let data = null;
    if (text) {
        try {
            data = JSON.parse(text);
        } catch {
            data = null;
        }
    }
    if ((res.status >= 200 && res.status < 300) || res.status === 300)
        return { status: res.status, data };
    const p = data && typeof data === 'object' ? data : {};
    const e = new ApiError(res.status, String(p.title || res.statusText || 'HTTP ' + res.status),
        String(p.detail || ''), String(p.type || 'about:blank'), p);
    if (!o.quiet && (res.status === 401 || (res.status === 403 && method === 'GET')))
        authLost(e);
    throw e;
}

/** Is the server there? (/readyz needs no key.) */
export async function ping() {
    await request('GET', '/readyz', { quiet: true });
}

/**
 * The key's own record; with `key` given, checks that key instead of the session's.
 * @param {{key?: string, signal?: AbortSignal}} [o]
 * @returns {Promise<Me>}
 */
export async function me(o = {}) {
    return (await request('GET', '/v1/me', { key: o.key, signal: o.signal, quiet: !!o.key })).data;
}

/**
 * @param {string} q
 * @param {{limit?: number, signal?: AbortSignal}} [o]
 * @returns {Promise<SearchResults>}
 */
export async function search(q, o = {}) {
    return (await request('GET', '/v1/search', { query: { q, limit: o.limit ?? 8 }, signal: o.signal })).data;
}

/**
 * The greeting card, or the candidates to choose from (300).
 * @param {Lookup} lookup  exactly one member, or customer_id and vehicle_id
 * @param {{signal?: AbortSignal}} [o]
 * @returns {Promise<GreetingAnswer>}
 */
export async function greeting(lookup, o = {}) {
    const r = await request('GET', '/v1/greeting', { query: lookup, signal: o.signal });
    return r.status === 300 ? { kind: 'choose', choice: r.data } : { kind: 'card', card: r.data };
}

/**
 * @param {TouchpointCreate} body
 * @param {string} [idempotencyKey]  the same for a retry of the same body, so it is recorded once
 * @returns {Promise<Touchpoint>}
 */
export async function createTouchpoint(body, idempotencyKey) {
    const headers = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : undefined;
    return (await request('POST', '/v1/touchpoints', { body, headers })).data;
}

/**
 * @param {CustomerCreate} body
 * @returns {Promise<Customer>}
 */
export async function createCustomer(body) {
    return (await request('POST', '/v1/customers', { body })).data;
}

/**
 * @param {VehicleCreate} body
 * @returns {Promise<Vehicle>}
 */
export async function createVehicle(body) {
    return (await request('POST', '/v1/vehicles', { body })).data;
}

/**
 * Whether the database holds any customer (for the empty state of the search).
 * @returns {Promise<boolean>}
 */
export async function hasCustomers() {
    /** @type {CustomerList} */
    const list = (await request('GET', '/v1/customers', { query: { limit: 1 } })).data;
    return list.items.length > 0;
}

/**
 * GET /v1/metrics/experience (for metrics.js).
 * @param {Record<string, string | number | undefined>} [query]
 * @param {{signal?: AbortSignal}} [o]
 * @returns {Promise<ExperienceMetrics>}
 */
export async function experienceMetrics(query = {}, o = {}) {
    return (await request('GET', '/v1/metrics/experience', { query, signal: o.signal })).data;
}
