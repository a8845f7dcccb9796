// @ts-check
// The management view (Auswertung/Insights): NPS and journey scores over time and the touchpoint kinds
// that drag journeys down (GET /v1/metrics/experience?interval=…), each chart with a table of its numbers.
// Loads metrics.css and Chart.js (vendor/chart.umd.js) once. Tabs, sign-in, fetch, i18n: main.js and co.

/** @typedef {import('../types/api').components['schemas']} S */
/** @typedef {S['ExperienceMetrics']} Metrics */
/** @typedef {S['ExperienceBucket']} Bucket */
/** @typedef {{signal?: AbortSignal}} Sig */
/**
 * What main.js passes; of api.js, get(path) or else experienceMetrics(query) is used.
 * @typedef {{api: {get?: (path: string, o?: Sig) => Promise<any>, experienceMetrics?: (q: Record<string, string>, o?: Sig) => Promise<any>},
 *   t: (key: string, vars?: Record<string, string | number>) => string, lang: () => string, formatDate?: unknown,
 *   register: (strings: Record<string, Record<string, string>>) => void, formatNumber: (n: number, o?: Intl.NumberFormatOptions) => string}} Ctx
 */

/** A period with fewer NPS answers than this is drawn faded and starred in the table. */
const FEW = 5;
/** @type {S['Department'][]} */
const DEPARTMENTS = ['sales', 'service', 'parts', 'technician', 'reception', 'management', 'other'];
/** @type {S['TouchpointKind'][]} */
const KINDS = ['service_visit', 'app_booking', 'phone_call', 'email', 'showroom_visit', 'test_drive',
    'purchase', 'delivery', 'complaint', 'survey', 'event', 'other'];
/** @type {S['Channel'][]} */
const CHANNELS = ['in_person', 'phone', 'app', 'web', 'email', 'letter'];
/** Chart colours; .mx-sw-* in metrics.css repeat pro, pas, det. */
const C = { pro: '#1f5fae', pas: '#7a7a7a', det: '#c2410c', line: '#1b1b1b', jour: '#6a3d9a' };

const STRINGS = {
    de: {
        'mx.title': 'Auswertung', 'mx.filters': 'Filter', 'mx.all': 'Alle',
        'mx.department': 'Abteilung', 'mx.kind': 'Kontaktart', 'mx.channel': 'Kanal', 'mx.from': 'Von',
        'mx.to': 'Bis (einschließlich)', 'mx.interval': 'Zeitraster', 'mx.month': 'Monat', 'mx.week': 'Woche',
        'mx.loading': 'Lädt …', 'mx.error': 'Die Auswertung konnte nicht geladen werden: {detail}',
        'mx.badRange': 'Das Startdatum muss vor dem Enddatum liegen.', 'mx.down': 'der Server ist nicht erreichbar.',
        'mx.npsRange': 'NPS im Zeitraum', 'mx.npsOf': 'Antworten: {n}',
        'mx.jRange': 'Ø Journey-Bewertung', 'mx.jOf': 'Journeys: {n}, davon bewertet: {scored}',
        'mx.npsTitle': 'NPS im Zeitverlauf', 'mx.jTitle': 'Journey-Bewertung im Zeitverlauf',
        'mx.dragTitle': 'Kontaktarten, die Journeys am meisten herunterziehen',
        'mx.fewNote': 'Gestrichelt und blass: weniger als {few} Antworten, der Wert ist unsicher. Lücke: keine Antworten.',
        'mx.showTable': 'Als Tabelle', 'mx.period': 'Zeitraum', 'mx.responses': 'Antworten',
        'mx.promoters': 'Promotoren (9–10)', 'mx.passives': 'Passive (7–8)', 'mx.detractors': 'Kritiker (0–6)',
        'mx.nps': 'NPS', 'mx.journeys': 'Journeys', 'mx.scored': 'Bewertet', 'mx.avg': 'Ø Bewertung (0–1)',
        'mx.drag': 'Verlust (0–1)', 'mx.touchpoints': 'Kontakte', 'mx.n': 'n = {n}', 'mx.weekOf': 'Woche ab {date}',
        'mx.noData': 'Keine Daten im Zeitraum.', 'mx.noDrag': 'Keine Kontaktart hat eine Journey herabgesetzt.',
        'mx.npsCaption': 'NPS je Zeitraum; * weniger als {few} Antworten',
        'mx.jCaption': 'Ø Journey-Bewertung je Zeitraum', 'mx.dragCaption': 'Kontaktarten nach Verlust',
        'mx.sum': '{what} von {from} bis {to}: {score} (n = {n}); höchster Wert {max} ({maxAt}), niedrigster {min} ({minAt}). Die Zahlen stehen in der Tabelle.',
        'mx.sumDrag': '{kind} zieht Journeys am stärksten herunter: Verlust {drag} (Kontakte: {n}).',
    },
    en: {
        'mx.title': 'Insights', 'mx.filters': 'Filters', 'mx.all': 'All',
        'mx.department': 'Department', 'mx.kind': 'Touchpoint kind', 'mx.channel': 'Channel', 'mx.from': 'From',
        'mx.to': 'To (inclusive)', 'mx.interval': 'Interval', 'mx.month': 'Month', 'mx.week': 'Week',
        'mx.loading': 'Loading …', 'mx.error': 'The insights could not be loaded: {detail}',
        'mx.badRange': 'The start date must be before the end date.', 'mx.down': 'the server cannot be reached.',
        'mx.npsRange': 'NPS in the range', 'mx.npsOf': 'Answers: {n}',
        'mx.jRange': 'Average journey score', 'mx.jOf': 'Journeys: {n}, scored: {scored}',
        'mx.npsTitle': 'NPS over time', 'mx.jTitle': 'Journey scores over time',
        'mx.dragTitle': 'Touchpoint kinds that drag journeys down most',
        'mx.fewNote': 'Dashed and faded: fewer than {few} answers, the value is uncertain. Gap: no answers.',
        'mx.showTable': 'Show as table', 'mx.period': 'Period', 'mx.responses': 'Answers',
        'mx.promoters': 'Promoters (9–10)', 'mx.passives': 'Passives (7–8)', 'mx.detractors': 'Detractors (0–6)',
        'mx.nps': 'NPS', 'mx.journeys': 'Journeys', 'mx.scored': 'Scored', 'mx.avg': 'Average score (0–1)',
        'mx.drag': 'Loss (0–1)', 'mx.touchpoints': 'Touchpoints', 'mx.n': 'n = {n}', 'mx.weekOf': 'Week of {date}',
        'mx.noData': 'No data in the range.', 'mx.noDrag': 'No touchpoint kind lowered a journey.',
        'mx.npsCaption': 'NPS per period; * fewer than {few} answers',
        'mx.jCaption': 'Average journey score per period', 'mx.dragCaption': 'Touchpoint kinds by loss',
        'mx.sum': '{what} from {from} to {to}: {score} (n = {n}); highest {max} ({maxAt}), lowest {min} ({minAt}). The numbers are in the table.',
        'mx.sumDrag': '{kind} drags journeys down most: loss {drag} (touchpoints: {n}).',
    },
};

/** @type {Ctx} */
let ctx;
/** @type {Record<string, any>} */
let el = {};
/** Texts that follow the language. @type {[Element, () => string][]} */
let bound = [];
/** @type {Metrics | null} */
let data = null;
/** The server's time zone, as of its last answer. */
let zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
/** What the status line says: loading, a problem, a bad range, or nothing. @type {{key: string, detail?: string} | null} */
let status = null;
let seq = 0;
/** @type {AbortController | null} */
let inflight = null;
/** Until the first answer shows the server's default range, the date fields are a guess. */
let datesChosen = false;
/** @type {Record<string, any>} */
const charts = {};
/** @type {Promise<any> | null} */
let chartLib = null;

/**
 * Build the view in section, load the last 12 months. Again after a new sign-in (section emptied):
 * nothing of the last session stays. @param {HTMLElement} section @param {Ctx} c
 */
export function mount(section, c) {
    inflight?.abort();
    for (const k in charts) charts[k]?.destroy();
    [ctx, el, bound, data, status, datesChosen] = [c, {}, [], null, null, false];
    ctx.register(STRINGS);
    if (!document.querySelector('link[href="metrics.css"]'))
        document.head.append(h('link', { rel: 'stylesheet', href: 'metrics.css' }));
    section.append(build());
    load();
}

/** Every label again, in the language now chosen. */
export function refresh() {
    if (!ctx) return;
    for (const [node, text] of bound) node.textContent = text();
    render();
}

/** @returns {any} */
function h(tag, attrs = {}, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    e.append(...kids);
    return e;
}

/** An element whose text follows the language. @param {string | (() => string)} key */
function tx(tag, key, attrs) {
    const e = h(tag, attrs);
    const text = typeof key === 'string' ? () => ctx.t(key, { few: FEW }) : key;
    e.textContent = text();
    bound.push([e, text]);
    return e;
}

/** An enum value's label from the page's vocabulary (card.js: kind.*, dept.*, chan.*). */
function label(prefix, v) {
    const s = ctx.t(prefix + v);
    const r = s === prefix + v ? v.replace(/_/g, ' ') : s;
    return r[0].toUpperCase() + r.slice(1);
}

/** A labelled filter; changing it reloads. */
function field(name, control) {
    control.id = 'mx-' + name;
    el[name] = control;
    control.addEventListener('change', () => {
        if (name === 'from' || name === 'to') datesChosen = true;
        load();
    });
    return h('div', { class: 'mx-field' }, tx('label', 'mx.' + name, { for: control.id }), control);
}

/** @param {string[]} values */
function select(name, values, prefix) {
    const s = h('select', {}, tx('option', 'mx.all', { value: '' }));
    for (const v of values) s.append(tx('option', () => label(prefix, v), { value: v }));
    return field(name, s);
}

/** A chart under its heading, then its table (a disclosure, open). */
function panel(name, title) {
    const id = 'mx-h-' + name;
    el[name] = { canvas: h('canvas', { role: 'img' }), table: h('table'), empty: h('p', { class: 'mx-note', hidden: '' }) };
    const sec = h('section', { class: 'mx-panel', 'aria-labelledby': id },
        tx('h3', title, { id }), h('div', { class: 'mx-canvas' }, el[name].canvas));
    if (name === 'nps') sec.append(tx('p', 'mx.fewNote', { class: 'mx-note' }));
    sec.append(el[name].empty, h('details', { open: '' }, tx('summary', 'mx.showTable'), el[name].table));
    return sec;
}

function build() {
    const kpi = (name, key) => {
        el[name] = { value: h('span', { class: 'mx-kpi-value' }), sub: h('span') };
        return h('div', {}, tx('dt', key), h('dd', {}, el[name].value, ' ', el[name].sub));
    };
    const interval = h('select', {}, tx('option', 'mx.month', { value: 'month' }), tx('option', 'mx.week', { value: 'week' }));
    const today = new Date();
    const from = h('input', { type: 'date', value: ymd(new Date(Date.UTC(today.getFullYear(), today.getMonth() - 11, 1))) });
    const to = h('input', { type: 'date', value: ymd(new Date(Date.UTC(today.getFullYear(), today.getMonth(), today.getDate()))) });
    el.status = h('p', { class: 'mx-status', role: 'status' });
    el.results = h('div', { class: 'mx-results' },
        h('dl', { class: 'mx-kpis' }, kpi('kNps', 'mx.npsRange'), kpi('kJ', 'mx.jRange')),
        panel('nps', 'mx.npsTitle'),
        h('div', { class: 'mx-pair' }, panel('jour', 'mx.jTitle'), panel('drag', 'mx.dragTitle')));
    const filters = h('fieldset', { class: 'mx-filters' }, tx('legend', 'mx.filters'),
        select('department', DEPARTMENTS, 'dept.'), select('kind', KINDS, 'kind.'), select('channel', CHANNELS, 'chan.'),
        field('from', from), field('to', to), field('interval', interval));
    return h('div', { class: 'mx' }, tx('h2', 'mx.title'), filters, el.status, el.results);
}

/** The query of the filters, or null when the dates contradict each other. */
function query() {
    const q = new URLSearchParams({ interval: el.interval.value });
    for (const k of ['department', 'kind', 'channel']) if (el[k].value) q.set(k, el[k].value);
    if (datesChosen) {
        const from = el.from.value, to = el.to.value;
        if (!from || !to || from > to) return null;
        const end = ymd(new Date(day(to).getTime() + 864e5));
        q.set('from', from + 'T00:00:00' + offset(from));
        q.set('to', end + 'T00:00:00' + offset(end));
    }
    return q;
}

/** Load what the filters ask for; a newer load aborts the older, whose answer is dropped. */
async function load() {
    inflight?.abort();
    inflight = null;
    const n = ++seq;
    const q = query();
    if (!q) return setBusy(false, { key: 'mx.badRange' });
    const ctrl = inflight = new AbortController();
    setBusy(true, { key: 'mx.loading' });
    const { api } = ctx;
    try {
        const d = await (api.get ? api.get('/v1/metrics/experience?' + q, { signal: ctrl.signal })
            : /** @type {any} */ (api.experienceMetrics)(Object.fromEntries(q), { signal: ctrl.signal }));
        if (n !== seq) return;
        [data, status, zone] = [d, null, d.time_zone || zone];
    } catch (e) {
        if (n !== seq) return;
        data = null;
        status = { key: 'mx.error', detail: e?.status === 0 ? ctx.t('mx.down') : e?.detail || e?.title || String(e) };
    }
    inflight = null;
    const b = data?.buckets;
    if (!datesChosen && b?.length) { // from now on the fields are the range, also for weeks
        el.from.value = b[0].start.slice(0, 10);
        el.to.value = ymd(new Date(day(b[b.length - 1].end).getTime() - 864e5));
        datesChosen = true;
    }
    setBusy(false, status);
    await render();
}

/** @param {boolean} busy @param {typeof status} s */
function setBusy(busy, s) {
    status = s;
    el.results.setAttribute('aria-busy', String(busy));
    el.results.classList.toggle('mx-busy', busy);
    showStatus();
}

function showStatus() {
    el.status.textContent = status ? ctx.t(status.key, { detail: status.detail || '' }) : '';
    el.status.classList.toggle('mx-error', !!status && status.key !== 'mx.loading');
}

// ---- days, periods and numbers ----

/** @param {Date} d a UTC midnight */
function ymd(d) { return d.toISOString().slice(0, 10); }
/** The day of an RFC 3339 time (in the server's zone) as UTC midnight. @param {string} s */
function day(s) { return new Date(s.slice(0, 10) + 'T00:00:00Z'); }
/** The server zone's offset ("+01:00") on a day, so that the day starts at its midnight. @param {string} date */
function offset(date) {
    try {
        const o = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
            .formatToParts(day(date)).find((p) => p.type === 'timeZoneName')?.value.slice(3) || '';
        return /^[+-]\d\d:\d\d$/.test(o) ? o : 'Z';
    } catch {
        return 'Z';
    }
}
/** Intl directly: i18n.formatDate takes no month or day options. @param {Date} d @param {Intl.DateTimeFormatOptions} o */
function fdate(d, o) { return new Intl.DateTimeFormat(ctx.lang(), { ...o, timeZone: 'UTC' }).format(d); }
/** "Jan. 2026"; weeks by their Monday: "12. Jan." (axis), "Woche ab 12. Jan. 2026" (long). @param {Bucket} b @param {boolean} [long] */
function period(b, long) {
    const d = day(b.start);
    if (data?.interval !== 'week') return fdate(d, { month: 'short', year: 'numeric' });
    if (!long) return fdate(d, { day: 'numeric', month: 'short' });
    return ctx.t('mx.weekOf', { date: fdate(d, { day: 'numeric', month: 'short', year: 'numeric' }) });
}
const int = (/** @type {number} */ n) => ctx.formatNumber(n, { maximumFractionDigits: 0 });
/** NPS signed, one decimal; "–" for none. */
const nps = (/** @type {number | null} */ s) => (s == null ? '–' : ctx.formatNumber(s, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }));
/** A score or loss (0 to 1), two decimals. */
const frac = (/** @type {number | null} */ s) => (s == null ? '–' : ctx.formatNumber(s, { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

// ---- figures, tables, charts ----

async function render() {
    showStatus();
    const d = data;
    const b = d?.buckets || [];
    const drag = d?.drag || [];
    el.kNps.value.textContent = nps(d ? d.nps.score : null);
    el.kNps.sub.textContent = d ? ctx.t('mx.npsOf', { n: int(d.nps.responses) }) : '';
    el.kJ.value.textContent = frac(d ? d.journeys.average_score : null);
    el.kJ.sub.textContent = d ? ctx.t('mx.jOf', { n: int(d.journeys.count), scored: int(d.journeys.scored) }) : '';

    const few = b.map((x) => x.nps.responses > 0 && x.nps.responses < FEW);
    table('nps', ctx.t('mx.npsCaption', { few: FEW }),
        ['mx.period', 'mx.responses', ['mx.promoters', 'pro'], ['mx.passives', 'pas'], ['mx.detractors', 'det'], 'mx.nps'],
        b.map((x, i) => [period(x, true), int(x.nps.responses), int(x.nps.promoters), int(x.nps.passives),
            int(x.nps.detractors), nps(x.nps.score) + (few[i] ? ' *' : '')]));
    table('jour', ctx.t('mx.jCaption'), ['mx.period', 'mx.journeys', 'mx.scored', 'mx.avg'],
        b.map((x) => [period(x, true), int(x.journeys.count), int(x.journeys.scored), frac(x.journeys.average_score)]));
    table('drag', ctx.t('mx.dragCaption'), ['mx.kind', 'mx.drag', 'mx.touchpoints', 'mx.journeys'],
        drag.map((x) => [label('kind.', x.kind), frac(x.drag), int(x.count), int(x.journeys)]));
    el.drag.empty.textContent = ctx.t('mx.noDrag');
    el.drag.empty.hidden = !d || drag.length > 0;
    el.drag.canvas.parentElement.hidden = !drag.length;

    let Chart;
    try {
        if (b.length) Chart = await loadChart();
    } catch (e) {
        status = { key: 'mx.error', detail: String(e) };
        showStatus();
    }
    if (d !== data) return; // a newer answer came meanwhile
    for (const k of ['nps', 'jour', 'drag']) {
        charts[k]?.destroy();
        charts[k] = null;
    }
    if (!Chart) return;
    const D = Chart.defaults;
    Object.assign(D, { color: C.line, animation: false, locale: ctx.lang() });
    [D.font.size, D.scale.ticks.maxRotation, D.elements.line.borderWidth, D.elements.point.radius] = [13, 0, 2.5, 4];
    drawNps(Chart, /** @type {Metrics} */ (d), b, few);
    drawJourneys(Chart, /** @type {Metrics} */ (d), b);
    drawDrag(Chart, drag);
}

/**
 * A chart's table; a [key, group] head gets the group's swatch, a row's first cell is its header.
 * @param {string} caption @param {(string | string[])[]} heads @param {string[][]} rows
 */
function table(name, caption, heads, rows) {
    const tr = h('tr');
    for (const hd of heads) {
        const [key, group] = Array.isArray(hd) ? hd : [hd];
        tr.append(h('th', { scope: 'col' }, ...(group ? [h('span', { class: 'mx-sw mx-sw-' + group, 'aria-hidden': 'true' })] : []), ctx.t(key)));
    }
    const body = h('tbody');
    for (const r of rows) body.append(h('tr', {}, h('th', { scope: 'row' }, r[0]), ...r.slice(1).map((c) => h('td', {}, c))));
    if (!rows.length) body.append(h('tr', {}, h('td', { colspan: String(heads.length) }, ctx.t('mx.noData'))));
    el[name].table.replaceChildren(h('caption', {}, caption), h('thead', {}, tr), body);
}

/** Chart.js, loaded once from vendor/ (the UMD build sets window.Chart). */
function loadChart() {
    const w = /** @type {any} */ (window);
    if (w.Chart) return Promise.resolve(w.Chart);
    chartLib ||= new Promise((resolve, reject) => {
        const s = h('script', { src: 'vendor/chart.umd.js' });
        s.addEventListener('load', () => resolve(w.Chart));
        s.addEventListener('error', () => { chartLib = null; s.remove(); reject(new Error('vendor/chart.umd.js')); });
        document.head.append(s);
    });
    return chartLib;
}

/** Draw one chart, described for screen readers. */
function draw(Chart, name, config, summary) {
    el[name].canvas.setAttribute('aria-label', summary);
    config.options = { maintainAspectRatio: false, interaction: { mode: 'index', intersect: false }, ...config.options };
    charts[name] = new Chart(el[name].canvas, config);
}

/** For a summary: the range, the highest and lowest value and when. @param {Bucket[]} b @param {(x: Bucket) => number | null} f @param {(v: number | null) => string} fmt */
function extremes(b, f, fmt) {
    const pts = b.filter((x) => f(x) != null).sort((x, y) => f(y) - f(x));
    const at = (x) => (x ? period(x, true) : '–');
    return { from: at(b[0]), to: at(b[b.length - 1]), max: fmt(pts[0] ? f(pts[0]) : null), maxAt: at(pts[0]),
        min: fmt(pts.length ? f(pts[pts.length - 1]) : null), minAt: at(pts[pts.length - 1]) };
}

/** Axis labels: the period and how many answers its value rests on. @param {Bucket[]} b @param {(x: Bucket) => number} count */
const axis = (b, count) => b.map((x) => [period(x), ctx.t('mx.n', { n: int(count(x)) })]);

/** @param {Metrics} d @param {Bucket[]} b @param {boolean[]} few */
function drawNps(Chart, d, b, few) {
    /** @param {string} key @param {'promoters' | 'passives' | 'detractors'} f @param {string} c */
    const bar = (key, f, c) => ({ type: 'bar', label: ctx.t(key), data: b.map((x) => x.nps[f]), stack: 'n', order: 2,
        backgroundColor: few.map((w) => (w ? c + '55' : c)) });
    const solid = [C.line, C.det, C.pas, C.pro];
    const dashed = (s) => (few[s.p0DataIndex] || few[s.p1DataIndex] ? [5, 4] : undefined);
    draw(Chart, 'nps', {
        type: 'bar',
        data: {
            labels: axis(b, (x) => x.nps.responses),
            datasets: [
                { type: 'line', label: ctx.t('mx.nps'), data: b.map((x) => x.nps.score), yAxisID: 'y1', order: 1,
                    borderColor: C.line, backgroundColor: C.line,
                    pointBackgroundColor: few.map((w) => (w ? '#fff' : C.line)),
                    segment: { borderDash: dashed, borderWidth: (s) => (dashed(s) ? 1.5 : 2.5) } },
                bar('mx.detractors', 'detractors', C.det), bar('mx.passives', 'passives', C.pas), bar('mx.promoters', 'promoters', C.pro),
            ],
        },
        options: {
            scales: {
                x: { stacked: true },
                y: { stacked: true, beginAtZero: true, title: { display: true, text: ctx.t('mx.responses') }, ticks: { precision: 0 } },
                y1: { min: -100, max: 100, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: ctx.t('mx.nps') } },
            },
            plugins: {
                // The legend shows each group's full colour, not the faded first period's.
                legend: { labels: { generateLabels: (ch) => Chart.defaults.plugins.legend.labels.generateLabels(ch)
                    .map((l) => ({ ...l, fillStyle: solid[l.datasetIndex], lineDash: [] })) } },
            },
        },
    }, ctx.t('mx.sum', { what: ctx.t('mx.nps'), score: nps(d.nps.score), n: int(d.nps.responses), ...extremes(b, (x) => x.nps.score, nps) }));
}

/** @param {Metrics} d @param {Bucket[]} b */
function drawJourneys(Chart, d, b) {
    draw(Chart, 'jour', {
        type: 'line',
        data: {
            labels: axis(b, (x) => x.journeys.scored),
            datasets: [{ label: ctx.t('mx.avg'), data: b.map((x) => x.journeys.average_score), borderColor: C.jour, backgroundColor: C.jour }],
        },
        options: {
            scales: { y: { min: 0, max: 1 } },
            plugins: { legend: { display: false } },
        },
    }, ctx.t('mx.sum', { what: ctx.t('mx.jRange'), score: frac(d.journeys.average_score), n: int(d.journeys.scored), ...extremes(b, (x) => x.journeys.average_score, frac) }));
}

/** @param {Metrics['drag']} drag */
function drawDrag(Chart, drag) {
    if (!drag.length) return;
    draw(Chart, 'drag', {
        type: 'bar',
        data: {
            labels: drag.map((x) => [label('kind.', x.kind), ctx.t('mx.n', { n: int(x.count) })]),
            datasets: [{ label: ctx.t('mx.drag'), data: drag.map((x) => x.drag), backgroundColor: C.det, maxBarThickness: 28 }],
        },
        options: {
            indexAxis: 'y',
            interaction: { mode: 'nearest', axis: 'y', intersect: false },
            scales: { x: { min: 0, max: 1 } },
            plugins: { legend: { display: false } },
        },
    }, ctx.t('mx.sumDrag', { kind: label('kind.', drag[0].kind), drag: frac(drag[0].drag), n: int(drag[0].count) }));
}
