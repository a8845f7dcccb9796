// @ts-check
// The greeting card, read top to bottom by someone with a customer in front of them: the line to
// say, alerts, the car, household and fleets, the relationship, the last touchpoints, journey,
// potential and contact policy. Also the candidate list of a 300. Every person and car links to
// its own card (route.js); the visit form is visit.js's.

import { t, lang, register, formatDate, formatDays, formatNumber } from './i18n.js';
import { h } from './dom.js';
import { href } from './route.js';

/** @typedef {import('./api.js').Greeting} Greeting */
/** @typedef {import('./api.js').GreetingCandidates} GreetingCandidates */
/** @typedef {import('./api.js').Touchpoint} Touchpoint */
/** @typedef {import('./api.js').S['ContactPolicy']} ContactPolicy */
/** @typedef {Greeting['household']} Household */
/** @typedef {Greeting['fleets'][number]} Fleet */
/** @typedef {{id: string, plate: string | null, vin: string | null, make: string, model: string | null, status: string, summary?: string, why?: string}} CarBrief */

const DUE_SHOWN = 5;

register({
    de: {
        'card.recognized': 'Erkannt über {by} „{input}“',
        'card.by.plate': 'Kennzeichen', 'card.by.vin': 'FIN', 'card.by.phone': 'Telefon',
        'card.by.email': 'E-Mail', 'card.by.customer_id': 'Kundennummer', 'card.by.plate_history': 'früheres Kennzeichen',
        'card.speaks': 'spricht {lang}',
        'card.alerts': 'Hinweise',
        'sev.critical': 'Kritisch', 'sev.warning': 'Achtung', 'sev.info': 'Hinweis',
        'bday.today': 'Hat heute Geburtstag – wird {n}.',
        'bday.week': 'Geburtstag am {date} – wird {n}.',
        'card.vehicle': 'Fahrzeug', 'card.novehicle': 'Über {by} erkannt, nicht über ein Fahrzeug.',
        'veh.plate': 'Kennzeichen', 'veh.car': 'Modell', 'veh.year': 'Baujahr', 'veh.mileage': 'Kilometerstand',
        'veh.mileage.v': '{km} km', 'veh.mileage.at': '{km} km (Stand {date})', 'veh.service': 'Service',
        'veh.service.due': 'fällig am {date} ({rel})', 'veh.service.over': 'überfällig seit {date} ({rel})',
        'veh.lease': 'Leasingende', 'veh.lease.v': '{date} ({rel})', 'veh.vin': 'FIN', 'veh.status': 'Status',
        'veh.relation': 'Zuordnung', 'rel.own': 'eigenes Fahrzeug', 'rel.household': 'Fahrzeug im Haushalt',
        'rel.fleet': 'Firmenfahrzeug',
        'status.active': 'aktiv', 'status.sold': 'verkauft', 'status.scrapped': 'verschrottet',
        'pt.petrol': 'Benzin', 'pt.diesel': 'Diesel', 'pt.hybrid': 'Hybrid', 'pt.plug_in_hybrid': 'Plug-in-Hybrid',
        'pt.electric': 'Elektro', 'pt.other': 'sonstiger Antrieb',
        'card.relationship': 'Beziehung',
        'relp.since': 'Kunde seit', 'relp.since.v': '{date} ({n} Jahre)',
        'relp.bought': 'Bei uns gekauft', 'relp.bought.v': { one: '1 Fahrzeug', other: '{n} Fahrzeuge' },
        'relp.lastvisit': 'Letzter Besuch', 'relp.never': 'noch keiner',
        'relp.household': 'Fahrzeuge im Haushalt', 'relp.fleets': 'Fahrzeuge in Flotten',
        'relp.prefs': 'Vorlieben', 'relp.notes': 'Notiz',
        'card.household': 'Haushalt: {name}',
        'hh.head': 'Haushaltsvorstand', 'hh.partner': 'Partner/in', 'hh.child': 'Kind', 'hh.parent': 'Elternteil',
        'hh.other': 'Haushaltsmitglied', 'hh.self': '(diese Person)',
        'hh.cars': { one: '1 aktives Fahrzeug', other: '{n} aktive Fahrzeuge' }, 'hh.nocar': 'kein eigenes Fahrzeug',
        'card.fleets': 'Flotten',
        'fleet.size': { one: '1 Fahrzeug', other: '{n} Fahrzeuge' },
        'fleet.due': { one: '1 fällig', other: '{n} fällig' }, 'more': '+{n} weitere',
        'fleet.duecars': 'Fällige Fahrzeuge von {name}',
        'crole.fleet_manager': 'Fuhrparkleitung', 'crole.decision_maker': 'Entscheider/in', 'crole.driver': 'Fahrer/in',
        'crole.employee': 'Mitarbeiter/in',
        'card.touchpoints': 'Letzte Kontakte', 'card.notouchpoints': 'Noch keine Kontakte erfasst.',
        'tp.date': 'Datum', 'tp.department': 'Abteilung', 'tp.kind': 'Art', 'tp.staff': 'Mitarbeiter/in',
        'tp.summary': 'Notiz', 'tp.satisfaction': 'Zufriedenheit', 'tp.nps': 'NPS',
        'tp.followup': 'Offen:', 'tp.followup.done': 'Erledigt:', 'tp.in': 'eingehend', 'tp.out': 'ausgehend',
        'tp.new': 'neu',
        'card.journey': 'Kundenreise', 'card.nojourney': 'Keine laufende Kundenreise.',
        'jr.score': 'Bewertung', 'jr.noscore': 'noch nicht bewertet', 'jr.weakest': 'Schwächster Schritt',
        'jr.weakest.v': '{kind} am {date}: {sat}', 'jr.period': 'Zeitraum', 'jr.steps': 'Schritte',
        'card.potential': 'Kaufpotenzial', 'pot.score': '{n} von 100', 'pot.none': 'Derzeit keine Anlässe.',
        'pot.risk': 'Risiko',
        'opp.replacement': 'Ersatz', 'opp.lease_end': 'Leasingende', 'opp.household': 'Haushalt', 'opp.fleet': 'Flotte',
        'opp.electric_switch': 'Elektro', 'opp.service': 'Service', 'opp.retention_risk': 'Abwanderungsrisiko',
        'card.policy': 'Kontaktregeln', 'pol.channel': 'Kanal', 'pol.sales': 'Verkauf',
        'pol.next': 'Wieder ab {date}', 'pol.yes': 'Ja', 'pol.no': 'Nein',
        'ch.phone': 'Telefon', 'ch.email': 'E-Mail', 'ch.sms': 'SMS', 'ch.post': 'Post',
        'choose.title': 'Mehrere Kunden passen – wer steht vor Ihnen?',
        'choose.born': 'geb. {date}', 'choose.household': 'Haushalt {name}',
        'nomatch.plate': 'Kein Kunde für Kennzeichen {q} gefunden',
        'nomatch.vin': 'Kein Kunde für FIN {q} gefunden',
        'nomatch.customer_id': 'Diesen Kunden gibt es nicht (mehr).',
        'nomatch.text': 'Kein Kunde für „{q}“ gefunden',
        'nomatch.hint': 'Prüfen Sie die Schreibweise oder suchen Sie nach Name, Telefonnummer oder E-Mail.',
    },
    en: {
        'card.recognized': 'Recognized by {by} "{input}"',
        'card.by.plate': 'plate', 'card.by.vin': 'VIN', 'card.by.phone': 'phone',
        'card.by.email': 'e-mail', 'card.by.customer_id': 'customer id', 'card.by.plate_history': 'earlier plate',
        'card.speaks': 'speaks {lang}',
        'card.alerts': 'Alerts',
        'sev.critical': 'Critical', 'sev.warning': 'Warning', 'sev.info': 'Note',
        'bday.today': 'Birthday today – turns {n}.',
        'bday.week': 'Birthday on {date} – turns {n}.',
        'card.vehicle': 'Car', 'card.novehicle': 'Recognized by {by}, not by a car.',
        'veh.plate': 'Plate', 'veh.car': 'Model', 'veh.year': 'Year', 'veh.mileage': 'Mileage',
        'veh.mileage.v': '{km} km', 'veh.mileage.at': '{km} km (as of {date})', 'veh.service': 'Service',
        'veh.service.due': 'due on {date} ({rel})', 'veh.service.over': 'overdue since {date} ({rel})',
        'veh.lease': 'Lease ends', 'veh.lease.v': '{date} ({rel})', 'veh.vin': 'VIN', 'veh.status': 'Status',
        'veh.relation': 'Relation', 'rel.own': 'own car', 'rel.household': 'household car', 'rel.fleet': 'company car',
        'status.active': 'active', 'status.sold': 'sold', 'status.scrapped': 'scrapped',
        'pt.petrol': 'petrol', 'pt.diesel': 'diesel', 'pt.hybrid': 'hybrid', 'pt.plug_in_hybrid': 'plug-in hybrid',
        'pt.electric': 'electric', 'pt.other': 'other powertrain',
        'card.relationship': 'Relationship',
        'relp.since': 'Customer since', 'relp.since.v': '{date} ({n} years)',
        'relp.bought': 'Bought here', 'relp.bought.v': { one: '1 car', other: '{n} cars' },
        'relp.lastvisit': 'Last visit', 'relp.never': 'none yet',
        'relp.household': 'Cars in the household', 'relp.fleets': 'Cars in fleets',
        'relp.prefs': 'Preferences', 'relp.notes': 'Note',
        'card.household': 'Household: {name}',
        'hh.head': 'head', 'hh.partner': 'partner', 'hh.child': 'child', 'hh.parent': 'parent', 'hh.other': 'member',
        'hh.self': '(this person)',
        'hh.cars': { one: '1 active car', other: '{n} active cars' }, 'hh.nocar': 'no car of their own',
        'card.fleets': 'Fleets',
        'fleet.size': { one: '1 car', other: '{n} cars' },
        'fleet.due': { one: '1 due', other: '{n} due' }, 'more': '+{n} more',
        'fleet.duecars': 'Cars due at {name}',
        'crole.fleet_manager': 'fleet manager', 'crole.decision_maker': 'decision maker', 'crole.driver': 'driver',
        'crole.employee': 'employee',
        'card.touchpoints': 'Last touchpoints', 'card.notouchpoints': 'No touchpoints recorded yet.',
        'tp.date': 'Date', 'tp.department': 'Department', 'tp.kind': 'Kind', 'tp.staff': 'Staff',
        'tp.summary': 'Note', 'tp.satisfaction': 'Satisfaction', 'tp.nps': 'NPS',
        'tp.followup': 'Open:', 'tp.followup.done': 'Done:', 'tp.in': 'inbound', 'tp.out': 'outbound',
        'tp.new': 'new',
        'card.journey': 'Journey', 'card.nojourney': 'No current journey.',
        'jr.score': 'Score', 'jr.noscore': 'not rated yet', 'jr.weakest': 'Weakest step',
        'jr.weakest.v': '{kind} on {date}: {sat}', 'jr.period': 'Period', 'jr.steps': 'Steps',
        'card.potential': 'Purchase potential', 'pot.score': '{n} of 100', 'pot.none': 'No occasions right now.',
        'pot.risk': 'Risk',
        'opp.replacement': 'Replacement', 'opp.lease_end': 'Lease end', 'opp.household': 'Household', 'opp.fleet': 'Fleet',
        'opp.electric_switch': 'Electric', 'opp.service': 'Service', 'opp.retention_risk': 'Retention risk',
        'card.policy': 'Contact policy', 'pol.channel': 'Channel', 'pol.sales': 'Sales',
        'pol.next': 'Again from {date}', 'pol.yes': 'Yes', 'pol.no': 'No',
        'ch.phone': 'Phone', 'ch.email': 'E-mail', 'ch.sms': 'SMS', 'ch.post': 'Post',
        'choose.title': 'Several customers match – who is in front of you?',
        'choose.born': 'born {date}', 'choose.household': 'household {name}',
        'nomatch.plate': 'No customer found for plate {q}',
        'nomatch.vin': 'No customer found for VIN {q}',
        'nomatch.customer_id': 'This customer does not exist (any more).',
        'nomatch.text': 'No customer found for "{q}"',
        'nomatch.hint': 'Check the spelling or search by name, phone number or e-mail.',
    },
});

/** Shared labels of touchpoint enums (visit.js uses them too). */
register({
    de: {
        'kind.service_visit': 'Servicebesuch', 'kind.app_booking': 'App-Buchung', 'kind.phone_call': 'Anruf',
        'kind.email': 'E-Mail', 'kind.showroom_visit': 'Besuch im Showroom', 'kind.test_drive': 'Probefahrt',
        'kind.purchase': 'Kauf', 'kind.delivery': 'Auslieferung', 'kind.complaint': 'Beschwerde',
        'kind.survey': 'Umfrage', 'kind.event': 'Veranstaltung', 'kind.other': 'Sonstiges',
        'dept.sales': 'Verkauf', 'dept.service': 'Service', 'dept.parts': 'Teile', 'dept.technician': 'Werkstatt',
        'dept.reception': 'Empfang', 'dept.management': 'Geschäftsleitung', 'dept.other': 'Sonstige',
        'chan.in_person': 'persönlich', 'chan.phone': 'Telefon', 'chan.app': 'App', 'chan.web': 'Web',
        'chan.email': 'E-Mail', 'chan.letter': 'Brief',
    },
    en: {
        'kind.service_visit': 'Service visit', 'kind.app_booking': 'App booking', 'kind.phone_call': 'Phone call',
        'kind.email': 'E-mail', 'kind.showroom_visit': 'Showroom visit', 'kind.test_drive': 'Test drive',
        'kind.purchase': 'Purchase', 'kind.delivery': 'Delivery', 'kind.complaint': 'Complaint',
        'kind.survey': 'Survey', 'kind.event': 'Event', 'kind.other': 'Other',
        'dept.sales': 'Sales', 'dept.service': 'Service', 'dept.parts': 'Parts', 'dept.technician': 'Workshop',
        'dept.reception': 'Reception', 'dept.management': 'Management', 'dept.other': 'Other',
        'chan.in_person': 'in person', 'chan.phone': 'phone', 'chan.app': 'app', 'chan.web': 'web',
        'chan.email': 'e-mail', 'chan.letter': 'letter',
    },
});

/** 0.9 → "90 %" in the locale. */
export function percent(/** @type {number | null | undefined} */ x) {
    return x === null || x === undefined ? '' : formatNumber(x, { style: 'percent', maximumFractionDigits: 0 });
}

/** "de" → "Deutsch" (or "German"), in the page's language. */
function languageName(/** @type {string} */ code) {
    try {
        return new Intl.DisplayNames([lang()], { type: 'language' }).of(code) || code;
    } catch {
        return code;
    }
}

let panels = 0;

/** A section of the card, named by its heading (a region landmark). */
function panel(/** @type {string} */ title, /** @type {any[]} */ ...body) {
    const id = 'panel-' + ++panels;
    return h('section', { class: 'panel', 'aria-labelledby': id }, h('h3', { id }, title), ...body);
}

/** A definition list from [term, value] pairs; pairs with an empty value are left out. */
function dl(/** @type {[string, any][]} */ rows) {
    return h('dl', { class: 'facts' }, rows.filter(([, v]) => v !== null && v !== undefined && v !== '' && v !== false)
        .map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

/** A link to a car's card: by its plate, or by its VIN when it has no plate. */
function carLink(/** @type {CarBrief} */ v) {
    if (v.plate)
        return h('a', { class: 'plate', href: href({ plate: v.plate }) }, v.plate);
    return v.vin ? h('a', { class: 'vin', href: href({ vin: v.vin }), 'aria-label': t('veh.vin') + ' ' + v.vin }, v.vin) : null;
}

/** @param {string} [code] */
function icon(code) {
    return h('span', { class: 'icon icon-' + (code || 'info'), 'aria-hidden': 'true' });
}

/**
 * The whole card.
 * @param {Greeting} g
 * @param {{visit: HTMLElement | null, fresh?: string | null}} o  the visit form (null for readers), the id of a touchpoint just logged
 * @returns {HTMLElement}
 */
export function renderCard(g, o) {
    const c = g.customer;
    const contact = [c.address?.city, c.phones?.[0]?.number, c.emails?.[0]?.address].filter(Boolean).join(' · ');
    const name = c.kind === 'company' ? c.company_name : [c.title, c.given_name, c.family_name].filter(Boolean).join(' ');
    const left = h('div', { class: 'col' }, vehicle(g), household(g), fleets(g.fleets));
    const right = h('div', { class: 'col' }, relationship(g), potential(g.potential), journey(g.journey), policy(g.contact_policy_by_purpose));
    return h('article', { class: 'card', 'aria-labelledby': 'card-greeting', 'data-testid': 'card', 'data-customer-id': c.id },
        h('header', { class: 'card-head' },
            g.recognized_by.by === 'customer_id' ? null
                : h('p', { class: 'kicker' }, t('card.recognized', { by: t('card.by.' + g.recognized_by.by), input: g.recognized_by.input }),
                    g.recognized_by.note ? ' · ' + g.recognized_by.note : ''),
            h('h2', { id: 'card-greeting', class: 'greeting', tabIndex: -1 }, g.greeting),
            h('p', { class: 'who' }, h('strong', null, name || ''), contact ? ' · ' + contact : '',
                ' · ', t('card.speaks', { lang: languageName(g.language) }))),
        alerts(g),
        h('div', { class: 'cols' }, left, right),
        touchpoints(g.touchpoints, o.fresh || null),
        o.visit);
}

/** @param {Greeting} g */
function alerts(g) {
    /** @type {{severity: string, code: string, message: string}[]} */
    const list = g.alerts.filter((a) => a.code !== 'birthday');
    const b = g.birthday;
    if (b && (b.today || b.this_week))
        list.push({
            severity: 'info', code: 'birthday',
            message: b.today ? t('bday.today', { n: b.turns }) : t('bday.week', { n: b.turns, date: formatDate(b.next, { weekday: true }) }),
        });
    if (!list.length)
        return null;
    return h('section', { class: 'alerts', 'aria-labelledby': 'card-alerts' },
        h('h3', { id: 'card-alerts', class: 'visually-hidden' }, t('card.alerts')),
        h('ul', null, list.map((a) => h('li', { class: 'alert alert-' + a.severity, 'data-code': a.code },
            icon(a.code === 'birthday' ? 'birthday' : a.severity),
            h('span', { class: 'visually-hidden' }, t('sev.' + a.severity) + ': '),
            h('span', null, a.message)))));
}

/** @param {Greeting} g */
function vehicle(g) {
    const v = g.vehicle;
    if (!v)
        return panel(t('card.vehicle'), h('p', { class: 'muted' }, t('card.novehicle', { by: t('card.by.' + g.recognized_by.by) })));
    const sd = v.service_due_in_days;
    const service = v.next_service_due && sd !== null
        ? h('span', { class: sd < 0 ? 'warn' : '' }, t(sd < 0 ? 'veh.service.over' : 'veh.service.due',
            { date: formatDate(v.next_service_due), rel: formatDays(sd) }))
        : null;
    const lease = v.lease_end && v.lease_ends_in_days !== null
        ? t('veh.lease.v', { date: formatDate(v.lease_end), rel: formatDays(v.lease_ends_in_days) }) : null;
    const km = v.mileage_km === null ? null
        : t(v.mileage_at ? 'veh.mileage.at' : 'veh.mileage.v', { km: v.mileage_km, date: formatDate(v.mileage_at) });
    const year = v.model_year ? String(v.model_year) + (v.powertrain ? ', ' + t('pt.' + v.powertrain) : '') : null;
    return panel(t('card.vehicle'), h('p', { class: 'car-line' },
        v.plate ? h('span', { class: 'plate plate-big' }, v.plate) : null, ' ',
        h('span', { class: 'car-name' }, [v.make, v.model, v.variant].filter(Boolean).join(' '))),
    dl([
        [t('veh.service'), service],
        [t('veh.mileage'), km],
        [t('veh.lease'), lease],
        [t('veh.year'), year],
        [t('veh.relation'), t('rel.' + v.relation)],
        [t('veh.status'), v.status !== 'active' ? t('status.' + v.status) : null],
        [t('veh.vin'), v.vin],
    ]));
}

/** @param {Greeting} g */
function relationship(g) {
    const r = g.relationship;
    const prefs = Object.entries(g.customer.preferences || {});
    return panel(t('card.relationship'), dl([
        [t('relp.since'), r.years !== null ? t('relp.since.v', { date: formatDate(r.customer_since), n: r.years }) : formatDate(r.customer_since)],
        [t('relp.bought'), t('relp.bought.v', { n: r.cars_bought_here })],
        [t('relp.lastvisit'), r.last_visit ? formatDate(r.last_visit) : t('relp.never')],
        [t('relp.household'), formatNumber(r.vehicles_in_household)],
        [t('relp.fleets'), r.vehicles_in_fleets ? formatNumber(r.vehicles_in_fleets) : null],
        [t('relp.prefs'), prefs.length ? h('ul', { class: 'plain' }, prefs.map(([k, v]) => h('li', null, k + ': ' + String(v)))) : null],
        [t('relp.notes'), g.customer.notes],
    ]));
}

/** "+N more" under a list the server cut at 20. @param {number} n */
const more = (n) => n > 0 ? h('p', { class: 'muted more' }, t('more', { n })) : null;

/** @param {Greeting} g */
function household(g) {
    const hh = g.household;
    if (!hh)
        return null;
    return panel(t('card.household', { name: hh.name }), h('ul', { class: 'people' }, hh.members.map((m) => {
        const self = m.customer_id === g.customer.id;
        return h('li', { class: self ? 'self' : '' },
            h('p', { class: 'person' },
                self ? h('strong', null, m.name || '') : h('a', { href: href({ customer_id: m.customer_id }) }, m.name || m.customer_id),
                ' ', h('span', { class: 'muted' }, [t('hh.' + m.role), self ? t('hh.self') : '',
                    m.vehicle_count ? t('hh.cars', { n: m.vehicle_count }) : t('hh.nocar')].filter(Boolean).join(' · '))),
            m.vehicles.length ? h('ul', { class: 'cars' }, m.vehicles.map((v) =>
                h('li', { class: v.status === 'active' ? '' : 'inactive' }, carLink(v), ' ', v.summary))) : null,
            more(m.vehicles_count - m.vehicles.length));
    })));
}

/** @param {Fleet[]} list */
function fleets(list) {
    if (!list.length)
        return null;
    return panel(t('card.fleets'), list.map((f) => {
        const shown = f.due.slice(0, DUE_SHOWN);
        return h('div', { class: 'fleet' },
            h('p', { class: 'person' }, h('a', { href: href({ customer_id: f.company_id }) }, f.company_name || f.company_id), ' ',
                h('span', { class: 'muted' }, f.roles.map((r) => t('crole.' + r)).join(', '))),
            h('p', { class: 'muted' }, t('fleet.size', { n: f.fleet_size }), f.due_count ? ' · ' + t('fleet.due', { n: f.due_count }) : ''),
            shown.length ? h('ul', { class: 'cars', 'aria-label': t('fleet.duecars', { name: f.company_name }) },
                shown.map((v) => h('li', null, carLink(v), ' ', v.summary, h('span', { class: 'why' }, ' – ' + v.why)))) : null,
            more(f.due_count - shown.length));
    }));
}

/**
 * @param {Touchpoint[]} list
 * @param {string | null} fresh
 */
function touchpoints(list, fresh) {
    const body = !list.length ? h('p', { class: 'muted' }, t('card.notouchpoints')) : h('div', { class: 'table-wrap' },
        h('table', { class: 'touchpoints' },
            h('caption', { class: 'visually-hidden' }, t('card.touchpoints')),
            h('thead', null, h('tr', null, ['tp.date', 'tp.department', 'tp.kind', 'tp.staff', 'tp.summary', 'tp.satisfaction', 'tp.nps']
                .map((k) => h('th', { scope: 'col' }, t(k))))),
            h('tbody', null, list.map((tp) => {
                const fu = tp.follow_up;
                return h('tr', { class: (fu && !fu.done ? 'open ' : '') + (tp.id === fresh ? 'fresh' : ''), 'data-id': tp.id, tabIndex: tp.id === fresh ? -1 : undefined },
                    h('td', { class: 'nowrap' }, formatDate(tp.occurred_at, { time: true })),
                    h('td', null, tp.department ? t('dept.' + tp.department) : ''),
                    h('td', null, t('kind.' + tp.kind), h('span', { class: 'muted small' }, ' ' + t('chan.' + tp.channel) + ', ' + t(tp.direction === 'outbound' ? 'tp.out' : 'tp.in')),
                        tp.id === fresh ? h('span', { class: 'badge' }, t('tp.new')) : null),
                    h('td', null, tp.staff || ''),
                    h('td', null, tp.summary || '',
                        fu ? h('p', { class: fu.done ? 'followup done' : 'followup' }, h('strong', null, t(fu.done ? 'tp.followup.done' : 'tp.followup')), ' ' + fu.text) : null),
                    h('td', { class: 'num' }, percent(tp.satisfaction)),
                    h('td', { class: 'num' }, tp.nps === null ? '' : formatNumber(tp.nps)));
            }))));
    return h('section', { class: 'panel wide', 'aria-labelledby': 'card-touchpoints' }, h('h3', { id: 'card-touchpoints' }, t('card.touchpoints')), body);
}

/** @param {Greeting['journey']} j */
function journey(j) {
    if (!j)
        return panel(t('card.journey'), h('p', { class: 'muted' }, t('card.nojourney')));
    const w = j.weakest;
    const step = w && j.touchpoints.find((tp) => tp.id === w.touchpoint_id);
    return panel(t('card.journey'), dl([
        [t('jr.score'), j.score === null ? t('jr.noscore') : h('strong', { class: j.score < 0.5 ? 'warn' : '' }, percent(j.score))],
        [t('jr.weakest'), w ? t('jr.weakest.v', { kind: t('kind.' + w.kind), date: step ? formatDate(step.occurred_at) : '', sat: percent(w.satisfaction) }) : null],
        [t('jr.period'), formatDate(j.started_at) + ' – ' + formatDate(j.ended_at)],
        [t('jr.steps'), h('ol', { class: 'steps' }, j.touchpoints.map((tp) => h('li', null,
            formatDate(tp.occurred_at) + ': ' + t('kind.' + tp.kind) + (tp.satisfaction !== null ? ' (' + percent(tp.satisfaction) + ')' : ''))))],
    ]));
}

/** @param {Greeting['potential']} p */
function potential(p) {
    const bar = h('span', { class: 'bar-fill' });
    bar.style.width = Math.max(0, Math.min(100, p.score)) + '%';
    return panel(t('card.potential'),
        h('p', { class: 'score' }, h('strong', null, t('pot.score', { n: p.score })), h('span', { class: 'bar', 'aria-hidden': 'true' }, bar)),
        p.opportunities.length ? h('ul', { class: 'opps' }, p.opportunities.map((o) => h('li', { class: o.kind === 'retention_risk' ? 'risk' : '' },
            h('span', { class: 'tag' }, t('opp.' + o.kind)), ' ', o.reason)))
            : h('p', { class: 'muted' }, t('pot.none')),
        more((p.opportunity_count ?? 0) - p.opportunities.length));
}

/** A column per purpose the desk meets. @param {Greeting['contact_policy_by_purpose']} by */
function policy(by) {
    const purposes = /** @type {const} */ (['sales', 'service']);
    const rows = /** @type {const} */ (['phone', 'email', 'sms', 'post']).map((ch) => h('tr', null,
        h('th', { scope: 'row' }, t('ch.' + ch)),
        purposes.map((pu) => {
            const p = by[pu][ch];
            return h('td', { class: p.allowed ? 'ok' : 'no' },
                h('b', null, icon(p.allowed ? 'ok' : 'no'), t(p.allowed ? 'pol.yes' : 'pol.no')),
                p.reasons.length ? h('ul', { class: 'plain' }, p.reasons.map((r) => h('li', null, r.detail))) : '',
                p.next_allowed_at ? h('p', { class: 'muted' }, t('pol.next', { date: formatDate(p.next_allowed_at, { time: true }) })) : '');
        })));
    return panel(t('card.policy'), h('table', { class: 'policy' },
        h('thead', null, h('tr', null, ['pol.channel', 'pol.sales', 'opp.service'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', null, rows)));
}

/**
 * The 300 answer: the candidates, each a link to their card with the car that matched; nothing is
 * picked for staff.
 * @param {GreetingCandidates} choice
 */
export function renderChoice(choice) {
    return h('section', { class: 'card choose', 'aria-labelledby': 'choose-title', 'data-testid': 'candidates' },
        h('h2', { id: 'choose-title', class: 'greeting-sm', tabIndex: -1 }, t('choose.title')),
        h('ul', { class: 'candidates' }, choice.candidates.map((c) => {
            const v = c.vehicle;
            return h('li', null, h('a', { href: href({ customer_id: c.customer_id, vehicle_id: v?.id }), class: 'candidate' },
                h('strong', null, c.name || c.customer_id),
                h('span', { class: 'muted' }, [c.city, c.birthday ? t('choose.born', { date: formatDate(c.birthday) }) : '',
                    c.household ? t('choose.household', { name: c.household }) : ''].filter(Boolean).join(' · ')),
                v ? h('span', null, v.plate ? h('span', { class: 'plate' }, v.plate) : v.vin ? h('span', { class: 'vin' }, v.vin) : null,
                    ' ' + [v.make, v.model].filter(Boolean).join(' '),
                    v.status !== 'active' ? ' (' + t('status.' + v.status) + ')' : '') : null));
        })));
}

/**
 * Nobody matched.
 * @param {'plate' | 'vin' | 'customer_id' | 'text'} by
 * @param {string} q
 * @param {HTMLElement | null} create  the create offer (managers), or null
 */
export function renderNoMatch(by, q, create) {
    return h('section', { class: 'card nomatch', 'aria-labelledby': 'nomatch-title', 'data-testid': 'nomatch' },
        h('h2', { id: 'nomatch-title', class: 'greeting-sm', tabIndex: -1 }, t('nomatch.' + by, { q })),
        h('p', { class: 'muted' }, t('nomatch.hint')),
        create);
}
