// @ts-check
// "Log this visit": the form on the card that records a touchpoint (POST /v1/touchpoints) for
// the person and car on the card. Shows field errors next to the fields and a contact-policy
// refusal in the policy's own sentences; refreshing the card afterwards is main.js's job.

import * as api from './api.js';
import { t, register, formatDate } from './i18n.js';
import { h } from './dom.js';

/** @typedef {import('./api.js').TouchpointCreate} TouchpointCreate */
/** @typedef {import('./api.js').Touchpoint} Touchpoint */
/** @typedef {import('./api.js').S['ContactPolicy']} ContactPolicy */

const KINDS = ['service_visit', 'showroom_visit', 'test_drive', 'purchase', 'delivery', 'complaint', 'phone_call',
    'email', 'app_booking', 'survey', 'event', 'other'];
const DEPARTMENTS = ['service', 'reception', 'sales', 'parts', 'technician', 'management', 'other'];
const CHANNELS = ['in_person', 'phone', 'email', 'letter', 'app', 'web'];
const PURPOSES = ['service', 'sales', 'recovery', 'information'];
const OUTCOMES = ['reached', 'unanswered', 'declined'];
const SATISFACTION = [0, 0.25, 0.5, 0.75, 1];
const DEPT_STORE = 'crmd.department';

register({
    de: {
        'visit.title': 'Besuch erfassen',
        'visit.kind': 'Art', 'visit.department': 'Abteilung', 'visit.channel': 'Kanal', 'visit.direction': 'Richtung',
        'visit.purpose': 'Zweck', 'visit.outcome': 'Ergebnis', 'visit.summary': 'Notiz',
        'visit.followup': 'Offenes Anliegen', 'visit.followup.hint': 'Was die nächste Abteilung erledigen soll; bleibt offen, bis es erledigt ist.',
        'visit.satisfaction': 'Zufriedenheit', 'visit.nps': 'Weiterempfehlung (NPS 0–10)', 'visit.choose': '– bitte wählen –',
        'visit.none': 'keine Angabe', 'visit.override': 'Begründung, um den Kontakt trotzdem zu erfassen',
        'visit.by': 'Erfasst von {name}, jetzt, für {car}.', 'visit.by.nocar': 'Erfasst von {name}, jetzt.',
        'visit.submit': 'Besuch speichern', 'visit.busy': 'Speichert …',
        'visit.saved': 'Besuch gespeichert.',
        'visit.errors': 'Bitte prüfen Sie die markierten Felder.',
        'visit.policy': 'Die Kontaktregeln lassen diesen Kontakt nicht zu:',
        'visit.policy.next': 'Wieder möglich ab {date}.',
        'visit.policy.override': 'Mit einer Begründung können Sie ihn trotzdem erfassen.',
        'visit.purpose.needed': 'Für ausgehende Kontakte bitte einen Zweck wählen.',
        'dir.inbound': 'eingehend', 'dir.outbound': 'ausgehend',
        'purpose.service': 'Service', 'purpose.sales': 'Verkauf', 'purpose.recovery': 'Wiedergutmachung',
        'purpose.information': 'Information',
        'outcome.reached': 'erreicht', 'outcome.unanswered': 'nicht erreicht', 'outcome.declined': 'abgelehnt',
        'sat.0': 'sehr unzufrieden', 'sat.0.25': 'unzufrieden', 'sat.0.5': 'neutral', 'sat.0.75': 'zufrieden', 'sat.1': 'sehr zufrieden',
    },
    en: {
        'visit.title': 'Log this visit',
        'visit.kind': 'Kind', 'visit.department': 'Department', 'visit.channel': 'Channel', 'visit.direction': 'Direction',
        'visit.purpose': 'Purpose', 'visit.outcome': 'Outcome', 'visit.summary': 'Note',
        'visit.followup': 'Open concern', 'visit.followup.hint': 'What the next department should do; stays open until done.',
        'visit.satisfaction': 'Satisfaction', 'visit.nps': 'Would recommend (NPS 0–10)', 'visit.choose': '– please choose –',
        'visit.none': 'not given', 'visit.override': 'Reason to record the contact anyway',
        'visit.by': 'Logged by {name}, now, for {car}.', 'visit.by.nocar': 'Logged by {name}, now.',
        'visit.submit': 'Save visit', 'visit.busy': 'Saving …',
        'visit.saved': 'Visit saved.',
        'visit.errors': 'Please check the marked fields.',
        'visit.policy': 'The contact policy does not allow this contact:',
        'visit.policy.next': 'Possible again from {date}.',
        'visit.policy.override': 'Give a reason to record it anyway.',
        'visit.purpose.needed': 'Outbound contact needs a purpose.',
        'dir.inbound': 'inbound', 'dir.outbound': 'outbound',
        'purpose.service': 'Service', 'purpose.sales': 'Sales', 'purpose.recovery': 'Recovery', 'purpose.information': 'Information',
        'outcome.reached': 'reached', 'outcome.unanswered': 'unanswered', 'outcome.declined': 'declined',
        'sat.0': 'very unhappy', 'sat.0.25': 'unhappy', 'sat.0.5': 'neutral', 'sat.0.75': 'happy', 'sat.1': 'delighted',
    },
});

/** 1-255 printable characters, unique enough; crypto.randomUUID needs a secure context. */
function newKey() {
    return 'desk-' + [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A labelled select; options are [value, label] pairs.
 * @param {string} name
 * @param {string} label
 * @param {[string, string][]} options
 * @param {string} value
 */
function select(name, label, options, value) {
    const id = 'visit-' + name.replace('.', '-');
    return h('div', { class: 'field', 'data-field': name },
        h('label', { for: id }, label),
        h('select', { id, name, 'aria-describedby': id + '-err' }, options.map(([v, l]) => h('option', { value: v, selected: v === value }, l))),
        h('p', { class: 'field-error', id: id + '-err' }));
}

/**
 * @param {string} name
 * @param {string} label
 * @param {string} [hint]
 */
function textarea(name, label, hint) {
    const id = 'visit-' + name.replace('.', '-');
    return h('div', { class: 'field wide', 'data-field': name },
        h('label', { for: id }, label),
        hint ? h('p', { class: 'hint', id: id + '-hint' }, hint) : null,
        h('textarea', { id, name, rows: 2, maxLength: 10240, 'aria-describedby': (hint ? id + '-hint ' : '') + id + '-err' }),
        h('p', { class: 'field-error', id: id + '-err' }));
}

/**
 * Copy what was entered in one form into another with the same fields.
 * @param {HTMLFormElement} from
 * @param {HTMLFormElement} to
 */
function takeOver(from, to) {
    for (const src of /** @type {HTMLInputElement[]} */ ([...from.elements])) {
        if (!src.name)
            continue;
        if (src.type === 'radio') {
            const dst = to.querySelector(`input[name="${CSS.escape(src.name)}"][value="${CSS.escape(src.value)}"]`);
            if (dst && src.checked)
                /** @type {HTMLInputElement} */ (dst).checked = true;
        } else {
            const dst = /** @type {HTMLInputElement | null} */ (to.elements.namedItem(src.name));
            if (dst && 'value' in dst)
                dst.value = src.value;
        }
    }
    to.querySelector('[data-field="override_reason"]')?.toggleAttribute('hidden',
        !!from.querySelector('[data-field="override_reason"][hidden]'));
}

/**
 * The form for the card of customerId.
 * @param {{customerId: string, vehicleId: string | null, car: string | null, staff: string,
 *          onSaved: (tp: Touchpoint) => void, from?: HTMLFormElement | null}} o
 *   staff: the signed-in key's name, shown as who logs it (the body leaves staff out: crmd
 *   records the name of the key that sends it); from: an earlier form for the same person whose
 *   entries are taken over
 * @returns {HTMLElement}
 */
export function visitForm(o) {
    const opts = (/** @type {string[]} */ values, /** @type {string} */ prefix) =>
        values.map((v) => /** @type {[string, string]} */ ([v, t(prefix + v)]));
    const dept = sessionStorage.getItem(DEPT_STORE) || 'service';
    const sat = h('fieldset', { class: 'field wide satisfaction', 'data-field': 'satisfaction', 'aria-describedby': 'visit-satisfaction-err' },
        h('legend', null, t('visit.satisfaction')),
        [[t('visit.none'), '']].concat(SATISFACTION.map((s) => [t('sat.' + s), String(s)])).map(([l, v], i) =>
            h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'satisfaction', value: v, checked: i === 0 }), ' ' + l)),
        h('p', { class: 'field-error', id: 'visit-satisfaction-err' }));
    const override = h('div', { class: 'field wide', 'data-field': 'override_reason', hidden: true },
        h('label', { for: 'visit-override' }, t('visit.override')),
        h('input', { id: 'visit-override', name: 'override_reason', type: 'text', maxLength: 1024, 'aria-describedby': 'visit-override-err' }),
        h('p', { class: 'field-error', id: 'visit-override-err' }));
    const outbound = [
        select('purpose', t('visit.purpose'), [['', t('visit.choose')], ...opts(PURPOSES, 'purpose.')], ''),
        select('outcome', t('visit.outcome'), [['', t('visit.none')], ...opts(OUTCOMES, 'outcome.')], ''),
    ];
    for (const f of outbound)
        f.hidden = true;
    const general = h('div', { class: 'form-problem', role: 'alert', 'data-testid': 'visit-problem' });
    const label = h('span', null, t('visit.submit'));
    const button = h('button', { type: 'submit', class: 'primary' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), label);
    const form = h('form', { class: 'visit', noValidate: true, 'aria-labelledby': 'visit-title' },
        h('h3', { id: 'visit-title' }, t('visit.title')),
        h('p', { class: 'muted' }, o.car ? t('visit.by', { name: o.staff, car: o.car }) : t('visit.by.nocar', { name: o.staff })),
        general,
        h('div', { class: 'fields' },
            select('kind', t('visit.kind'), opts(KINDS, 'kind.'), 'service_visit'),
            select('department', t('visit.department'), opts(DEPARTMENTS, 'dept.'), dept),
            select('channel', t('visit.channel'), opts(CHANNELS, 'chan.'), 'in_person'),
            select('direction', t('visit.direction'), opts(['inbound', 'outbound'], 'dir.'), 'inbound'),
            ...outbound,
            textarea('summary', t('visit.summary')),
            textarea('follow_up.text', t('visit.followup'), t('visit.followup.hint')),
            sat,
            select('nps', t('visit.nps'), [['', t('visit.none')], ...Array.from({ length: 11 }, (_, i) => /** @type {[string, string]} */ ([String(i), String(i)]))], ''),
            override),
        h('div', { class: 'actions' }, button));

    const el = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
    const direction = el('direction');
    direction.addEventListener('change', () => {
        for (const f of outbound)
            f.hidden = direction.value !== 'outbound';
        if (direction.value !== 'outbound')
            override.hidden = true;
    });

    if (o.from) {
        takeOver(o.from, form);
        direction.dispatchEvent(new Event('change'));
    }

    let lastBody = '';
    let key = newKey();
    let busy = false;

    function clearErrors() {
        general.replaceChildren();
        for (const p of form.querySelectorAll('.field-error'))
            p.textContent = '';
        for (const c of form.querySelectorAll('[aria-invalid]'))
            c.removeAttribute('aria-invalid');
    }

    /** @returns {TouchpointCreate} */
    function body() {
        const v = (/** @type {string} */ n) => el(n).value.trim();
        const satisfaction = /** @type {HTMLInputElement | null} */ (form.querySelector('input[name=satisfaction]:checked'))?.value;
        /** @type {TouchpointCreate} */
        const b = {
            customer_id: o.customerId,
            kind: /** @type {TouchpointCreate['kind']} */ (v('kind')),
            channel: /** @type {TouchpointCreate['channel']} */ (v('channel')),
            direction: /** @type {TouchpointCreate['direction']} */ (v('direction')),
            department: /** @type {TouchpointCreate['department']} */ (v('department')),
        };
        if (o.vehicleId)
            b.vehicle_id = o.vehicleId;
        if (b.direction === 'outbound') {
            if (v('purpose'))
                b.purpose = /** @type {TouchpointCreate['purpose']} */ (v('purpose'));
            if (v('outcome'))
                b.outcome = /** @type {TouchpointCreate['outcome']} */ (v('outcome'));
            if (!override.hidden && v('override_reason'))
                b.override_reason = v('override_reason');
        }
        if (v('summary'))
            b.summary = el('summary').value.trim();
        if (v('follow_up.text'))
            b.follow_up = { text: el('follow_up.text').value.trim(), done: false };
        if (satisfaction)
            b.satisfaction = Number(satisfaction);
        if (v('nps'))
            b.nps = Number(v('nps'));
        return b;
    }

    /** Show one message next to its field, or in the general box when the field is not on the form. */
    function fieldError(/** @type {string} */ field, /** @type {string} */ message) {
        const box = form.querySelector(`[data-field="${CSS.escape(field)}"]`);
        const p = box?.querySelector('.field-error');
        if (!box || !p || /** @type {HTMLElement} */ (box).hidden) {
            general.append(h('p', null, field + ': ' + message));
            return null;
        }
        p.textContent = message;
        box.querySelector('select, input, textarea')?.setAttribute('aria-invalid', 'true');
        return box.querySelector('select, input, textarea');
    }

    /** @param {ContactPolicy} p */
    function refused(p) {
        general.append(h('div', { 'data-testid': 'policy-refusal' }, h('p', null, h('strong', null, t('visit.policy'))),
            h('ul', null, p.reasons.map((r) => h('li', null, r.detail))),
            p.next_allowed_at ? h('p', null, t('visit.policy.next', { date: formatDate(p.next_allowed_at, { time: true }) })) : null,
            direction.value === 'outbound' ? h('p', null, t('visit.policy.override')) : null));
        if (direction.value === 'outbound') {
            override.hidden = false;
            el('override_reason').focus();
        }
    }

    function setBusy(/** @type {boolean} */ b) {
        busy = b;
        button.disabled = b;
        button.classList.toggle('busy', b);
        label.textContent = t(b ? 'visit.busy' : 'visit.submit');
        form.setAttribute('aria-busy', String(b));
    }

    form.addEventListener('submit', async (e) => {
        e.preventDefault();
        if (busy)
            return;
        clearErrors();
        const b = body();
        if (b.direction === 'outbound' && !b.purpose) {
            /** @type {HTMLElement | null} */ (fieldError('purpose', t('visit.purpose.needed')))?.focus();
            return;
        }
        const text = JSON.stringify(b);
        if (text !== lastBody)
            key = newKey();
        lastBody = text;
        setBusy(true);
        try {
            const tp = await api.createTouchpoint(b, key);
            sessionStorage.setItem(DEPT_STORE, b.department || 'service');
            o.onSaved(tp);
        } catch (err) {
            if (!(err instanceof api.ApiError))
                throw err;
            const p = err.problem;
            if (p.contact_policy) {
                refused(p.contact_policy);
            } else if (p.errors?.length) {
                general.append(h('p', null, t('visit.errors')));
                const first = p.errors.map((fe) => fieldError(fe.field, fe.message)).find(Boolean);
                /** @type {HTMLElement | null | undefined} */ (first)?.focus();
            } else {
                general.append(h('p', null, err.unreachable ? t('offline.text') : t('error.generic', { detail: err.detail || err.title })));
            }
        } finally {
            setBusy(false);
        }
    });

    return form;
}
