// @ts-check
// The page's addresses: what the URL hash holds (a customer id, with the id of the car on the card,
// a plate or a VIN, or the insights tab) so Back and Forward work and a card can be linked. Never
// the key.

/** @typedef {import('./api.js').Lookup} Lookup */
/** @typedef {{view: 'desk', lookup: Lookup | null} | {view: 'insights'}} Route */

const KINDS = /** @type {const} */ (['customer_id', 'plate', 'vin']);
const PREFIX = { customer_id: 'c', plate: 'plate', vin: 'vin' };

/**
 * The hash of a card: '#/c/<id>', '#/c/<id>/v/<vehicle id>' (the customer with that car),
 * '#/plate/<plate>', '#/vin/<vin>'.
 */
export function href(/** @type {Lookup} */ lookup) {
    for (const k of KINDS) {
        const v = lookup[k];
        if (v) {
            const car = k === 'customer_id' && lookup.vehicle_id ? '/v/' + encodeURIComponent(lookup.vehicle_id) : '';
            return '#/' + PREFIX[k] + '/' + encodeURIComponent(v) + car;
        }
    }
    return '#/';
}

/** decodeURIComponent, or '' for a malformed escape. */
function decode(/** @type {string | undefined} */ s) {
    try {
        return decodeURIComponent(s || '');
    } catch {
        return '';
    }
}

/** @returns {Route} */
export function parse(/** @type {string} */ hash = location.hash) {
    const [, kind, value] = hash.match(/^#\/([a-z]+)(?:\/(.*))?$/) || [];
    if (kind === 'insights')
        return { view: 'insights' };
    if (kind === 'c') {
        const [, id, car] = (value || '').match(/^([^/]+)\/v\/([^/]+)$/) || [];
        const customer = decode(id), vehicle = decode(car);
        if (customer && vehicle)
            return { view: 'desk', lookup: { customer_id: customer, vehicle_id: vehicle } };
    }
    const v = decode(value);
    if (v) {
        for (const k of KINDS)
            if (PREFIX[k] === kind)
                return { view: 'desk', lookup: { [k]: v } };
    }
    return { view: 'desk', lookup: null };
}
