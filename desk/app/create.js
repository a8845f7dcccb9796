// @ts-check
// "Kunden anlegen?": when nobody matched, managers may create the person (POST /v1/customers) and,
// for a plate, their car (POST /v1/vehicles), then see the new card. A minimal form on purpose:
// everything else is added in the DMS or later.

import * as api from './api.js';
import { t, register } from './i18n.js';
import { h } from './dom.js';
import { href } from './route.js';

register({
    de: {
        'create.offer': 'Kunden anlegen?',
        'create.title': 'Neuen Kunden anlegen',
        'create.salutation': 'Anrede', 'create.given': 'Vorname', 'create.family': 'Nachname',
        'create.phone': 'Telefon', 'create.email': 'E-Mail', 'create.language': 'Sprache',
        'create.plate': 'Kennzeichen', 'create.make': 'Marke', 'create.model': 'Modell',
        'create.car': 'Fahrzeug (optional)', 'create.car.hint': 'Mit Kennzeichen bitte auch die Marke angeben.',
        'create.submit': 'Anlegen und Karte öffnen', 'create.busy': 'Legt an …',
        'create.errors': 'Bitte prüfen Sie die markierten Felder.',
        'create.name.needed': 'Bitte Vor- oder Nachnamen angeben.',
        'create.make.needed': 'Für ein Fahrzeug bitte die Marke angeben.',
        'create.car.failed': 'Der Kunde ist angelegt, das Fahrzeug nicht: {detail}',
        'create.open': 'Karte des neuen Kunden öffnen',
        'sal.Herr': 'Herr', 'sal.Frau': 'Frau', 'sal.divers': 'divers', 'sal.none': 'keine Anrede',
        'lang.de': 'Deutsch', 'lang.en': 'Englisch',
    },
    en: {
        'create.offer': 'Create the customer?',
        'create.title': 'Create a new customer',
        'create.salutation': 'Salutation', 'create.given': 'Given name', 'create.family': 'Family name',
        'create.phone': 'Phone', 'create.email': 'E-mail', 'create.language': 'Language',
        'create.plate': 'Plate', 'create.make': 'Make', 'create.model': 'Model',
        'create.car': 'Car (optional)', 'create.car.hint': 'With a plate, please give the make too.',
        'create.submit': 'Create and open the card', 'create.busy': 'Creating …',
        'create.errors': 'Please check the marked fields.',
        'create.name.needed': 'Please give a given or a family name.',
        'create.make.needed': 'A car needs its make.',
        'create.car.failed': 'The customer was created, the car was not: {detail}',
        'create.open': 'Open the new customer\'s card',
        'sal.Herr': 'Mr (Herr)', 'sal.Frau': 'Ms (Frau)', 'sal.divers': 'diverse', 'sal.none': 'no salutation',
        'lang.de': 'German', 'lang.en': 'English',
    },
});

/** The element id of a field named as the API names it ("phones[0]" → "new-phones-0-"). */
const idFor = (/** @type {string} */ name) => 'new-' + name.replace(/[^A-Za-z0-9_]/g, '-');

/**
 * @param {string} name
 * @param {string} label
 * @param {HTMLElement} control
 */
function field(name, label, control) {
    control.id = idFor(name);
    control.setAttribute('name', name);
    control.setAttribute('aria-describedby', control.id + '-err');
    return h('div', { class: 'field', 'data-field': name }, h('label', { for: control.id }, label), control,
        h('p', { class: 'field-error', id: control.id + '-err' }));
}

/**
 * The offer and its form (hidden until the offer is taken).
 * @param {string} plate  the plate that found nobody, or ''
 * @param {(customerId: string, plate: string | null) => void} onCreated  plate: of the car created with them
 */
export function createOffer(plate, onCreated) {
    const general = h('div', { class: 'form-problem', role: 'alert' });
    const label = h('span', null, t('create.submit'));
    const button = h('button', { type: 'submit', class: 'primary' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), label);
    const form = h('form', { class: 'create', noValidate: true, hidden: true, 'aria-labelledby': 'new-title' },
        h('h3', { id: 'new-title' }, t('create.title')),
        general,
        h('div', { class: 'fields' },
            field('salutation', t('create.salutation'), h('select', null, ['Herr', 'Frau', 'divers', 'none'].map((s) => h('option', { value: s }, t('sal.' + s))))),
            field('given_name', t('create.given'), h('input', { type: 'text', autocomplete: 'off' })),
            field('family_name', t('create.family'), h('input', { type: 'text', autocomplete: 'off' })),
            field('phones[0]', t('create.phone'), h('input', { type: 'tel', autocomplete: 'off' })),
            field('emails[0]', t('create.email'), h('input', { type: 'email', autocomplete: 'off' })),
            field('language', t('create.language'), h('select', null, ['de', 'en'].map((l) => h('option', { value: l }, t('lang.' + l)))))),
        h('fieldset', { class: 'fields' }, h('legend', null, t('create.car')),
            h('p', { class: 'hint wide' }, t('create.car.hint')),
            field('plate', t('create.plate'), h('input', { type: 'text', autocomplete: 'off', value: plate })),
            field('make', t('create.make'), h('input', { type: 'text', autocomplete: 'off' })),
            field('model', t('create.model'), h('input', { type: 'text', autocomplete: 'off' }))),
        h('div', { class: 'actions' }, button));
    const offer = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': 'new-form' }, t('create.offer'));
    form.id = 'new-form';
    offer.addEventListener('click', () => {
        form.hidden = !form.hidden;
        offer.setAttribute('aria-expanded', String(!form.hidden));
        if (!form.hidden)
            /** @type {HTMLElement} */ (form.querySelector('#new-given_name')).focus();
    });

    const v = (/** @type {string} */ n) => /** @type {HTMLInputElement} */ (form.elements.namedItem(n)).value.trim();

    /** @param {string} f @param {string} m */
    function fieldError(f, m) {
        const p = form.querySelector(`#${idFor(f)}-err`);
        if (p) {
            p.textContent = m;
            form.querySelector('#' + idFor(f))?.setAttribute('aria-invalid', 'true');
        } else {
            general.append(h('p', null, f + ': ' + m));
        }
    }

    function clear() {
        general.replaceChildren();
        for (const p of form.querySelectorAll('.field-error'))
            p.textContent = '';
        for (const c of form.querySelectorAll('[aria-invalid]'))
            c.removeAttribute('aria-invalid');
    }

    /** @param {unknown} err */
    function show(err) {
        if (!(err instanceof api.ApiError))
            throw err;
        if (err.problem.errors?.length) {
            general.append(h('p', null, t('create.errors')));
            for (const fe of err.problem.errors)
                fieldError(fe.field, fe.message);
        } else {
            general.append(h('p', null, err.unreachable ? t('offline.text') : t('error.generic', { detail: err.detail || err.title })));
        }
    }

    form.addEventListener('submit', async (e) => {
        e.preventDefault();
        if (button.disabled)
            return;
        clear();
        if (!v('given_name') && !v('family_name'))
            return fieldError('family_name', t('create.name.needed'));
        if (v('plate') && !v('make'))
            return fieldError('make', t('create.make.needed'));
        /** @type {import('./api.js').CustomerCreate} */
        const body = { kind: 'person', salutation: /** @type {any} */ (v('salutation')), language: v('language'), do_not_contact: false };
        for (const k of /** @type {const} */ (['given_name', 'family_name']))
            if (v(k))
                body[k] = v(k);
        if (v('phones[0]'))
            body.phones = [v('phones[0]')];
        if (v('emails[0]'))
            body.emails = [v('emails[0]')];
        button.disabled = true;
        label.textContent = t('create.busy');
        try {
            let customer;
            try {
                customer = await api.createCustomer(body);
            } catch (err) {
                return show(err);
            }
            if (v('plate')) {
                try {
                    await api.createVehicle({ owner_id: customer.id, main_driver_id: customer.id, plate: v('plate'), make: v('make'),
                        ...(v('model') ? { model: v('model') } : {}) });
                } catch (err) {
                    // The person exists now: say so, keep the form for the car, link the card.
                    general.append(h('p', null, t('create.car.failed', { detail: err instanceof api.ApiError ? err.detail : '' }),
                        ' ', h('a', { href: href({ customer_id: customer.id }) }, t('create.open'))));
                    if (err instanceof api.ApiError)
                        for (const fe of err.problem.errors || [])
                            fieldError(fe.field, fe.message);
                    return;
                }
                return onCreated(customer.id, v('plate'));
            }
            onCreated(customer.id, null);
        } finally {
            button.disabled = false;
            label.textContent = t('create.submit');
        }
    });

    return h('div', { class: 'create-offer' }, offer, form);
}
