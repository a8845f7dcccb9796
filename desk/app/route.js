// @ts-check
// The page's addresses: what the URL hash holds (a customer id, a plate or a VIN, or the
// insights tab) so Back and Forward work and a card can be linked. Never the key.

/** @typedef {import('./api.js').Lookup} Lookup */
/** @typedef {{view: 'desk', lookup: Lookup | null} | {view: 'insights'}} Route */

const KINDS = /** @type {const} */ (['customer_id', 'plate', 'vin']);
const PREFIX = { customer_id: 'c', plate: 'plate', vin: 'vin' };

/** The hash of a card: '#/c/<id>', '#/plate/<plate>', '#/vin/<vin>'. */
export function href(/** @type {Lookup} */ lookup) {
    for (const k of KINDS) {
        const v = lookup[k];
        if (v)
            return '#/' + PREFIX[k] + '/' + encodeURIComponent(v);
    }
    return '#/';
}

/** @returns {Route} */
export function parse(/** @type {string} */ hash = location.hash) {
    const [, kind, value] = hash.match(/^#\/([a-z]+)(?:\/(.*))?$/) || [];
    if (kind === 'insights')
        return { view: 'insights' };
    let v = '';
    try {
        v = decodeURIComponent(value || '');
    } catch {
        v = '';
    }
    if (v) {
        for (const k of KINDS)
            if (PREFIX[k] === kind)
                return { view: 'desk', lookup: { [k]: v } };
    }
    return { view: 'desk', lookup: null };
}
