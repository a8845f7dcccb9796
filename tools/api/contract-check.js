#!/usr/bin/env node
// Contract check: every HTTP exchange of the e2e run (one JSON line each in
// the log the harness writes, see tests/e2e/harness.c) must be described by
// the OpenAPI document. Checked per exchange: the path matches a path
// template and the method an operation; the status is documented; the
// content type is documented; the body validates against the schema (JSON
// Schema 2020-12, ajv). Rules, also in docs/development.md "API contract":
//  - HEAD is checked against the GET operation, without a body.
//  - A path that matches no template must answer components.responses.NoRoute
//    (404 urn:crmd:problem:no-route); a known path with a method it does not
//    have must answer components.responses.MethodNotAllowed (405), except
//    OPTIONS, which must answer components.responses.Preflight (204, the CORS
//    preflight answered without a key).
//  - A 431 or 414 on any path and method must answer components.responses.
//    HeadersTooLarge (headers-too-large) or UriTooLong (uri-too-long): the
//    request line and headers are refused before routing matters.
//  - Undocumented members fail: every object schema that a response can
//    reach must state additionalProperties or unevaluatedProperties (a branch
//    of allOf/anyOf/oneOf/if/then/else/not is covered by its parent's).
//    This is checked on the whole document, exercised or not.
// With server/routes.c as third argument, the route table and the operations
// of the spec must also be the same set (method and path template).
// Documented responses no test produces: every (method, path template,
// status) listed by an operation must be produced by some exchange, or be on
// the allow-list given with --require-produced FILE (one `METHOD /path STATUS
// # reason` a line, reason mandatory). Only the full e2e run passes it; a
// listed pair that was produced is a stale entry and warns. --unproduced lists
// the unproduced pairs one a line (otherwise only the counts are printed).
// Usage: node contract-check.js [--unproduced] [--require-produced LIST] SPEC.json LOG.jsonl [ROUTES.c]
// (exit 1 on any failure)
'use strict';
const fs = require('fs');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const SPEC_ID = 'openapi.json';
// Answers any path and method can give, each held to its components.responses entry.
const ANYWHERE = { 414: ['UriTooLong', 'uri-too-long'], 431: ['HeadersTooLarge', 'headers-too-large'] };

function pointerGet(doc, ref) {
    if (!ref.startsWith('#/'))
        throw new Error(`only local $ref supported: ${ref}`);
    return ref.slice(2).split('/').reduce((node, raw) => {
        const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
        if (node === undefined || !(key in node))
            throw new Error(`$ref ${ref} points nowhere`);
        return node[key];
    }, doc);
}

function escapePointer(s) {
    return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}

// Follow $ref of non-schema objects (responses); returns [object, its pointer].
function deref(doc, obj, ptr) {
    while (obj && obj.$ref) {
        ptr = obj.$ref;
        obj = pointerGet(doc, obj.$ref);
    }
    return [obj, ptr];
}

// ---- static audit: object schemas in responses state additionalProperties
function isObjectSchema(s) {
    const t = s.type;
    return s.properties !== undefined || t === 'object' || (Array.isArray(t) && t.includes('object'));
}

function auditSchemas(spec) {
    const problems = new Map(); // schema pointer -> first response that reaches it
    const seen = new Set();
    function walk(s, ptr, covered, from) {
        if (!s || typeof s !== 'object')
            return;
        if (s.$ref) {
            const key = `${s.$ref}|${covered}`;
            if (seen.has(key))
                return;
            seen.add(key);
            walk(pointerGet(spec, s.$ref), s.$ref, covered, from);
            // siblings of $ref (description, ...) hold no schema structure here
        }
        const states = s.additionalProperties !== undefined || s.unevaluatedProperties !== undefined;
        if (isObjectSchema(s) && !states && !covered && !problems.has(ptr))
            problems.set(ptr, from);
        // Subschemas applied to the same instance are closed by their parent's statement.
        for (const k of ['allOf', 'anyOf', 'oneOf'])
            (s[k] || []).forEach((b, i) => walk(b, `${ptr}/${k}/${i}`, states || covered, from));
        for (const k of ['not', 'if', 'then', 'else'])
            if (s[k] && typeof s[k] === 'object')
                walk(s[k], `${ptr}/${k}`, states || covered, from);
        for (const [name, p] of Object.entries(s.properties || {}))
            walk(p, `${ptr}/properties/${escapePointer(name)}`, false, from);
        for (const k of ['items', 'additionalProperties', 'unevaluatedProperties', 'contains', 'propertyNames'])
            if (s[k] && typeof s[k] === 'object')
                walk(s[k], `${ptr}/${k}`, false, from);
        (s.prefixItems || []).forEach((b, i) => walk(b, `${ptr}/prefixItems/${i}`, false, from));
    }
    const responsesOf = [];
    for (const [p, item] of Object.entries(spec.paths || {}))
        for (const m of METHODS)
            if (item[m])
                for (const [st, r] of Object.entries(item[m].responses || {}))
                    responsesOf.push([`${m.toUpperCase()} ${p} ${st}`, r,
                        `#/paths/${escapePointer(p)}/${m}/responses/${st}`]);
    for (const [name, r] of Object.entries((spec.components || {}).responses || {}))
        responsesOf.push([`components.responses.${name}`, r, `#/components/responses/${name}`]);
    for (const [from, r0, ptr0] of responsesOf) {
        const [r, ptr] = deref(spec, r0, ptr0);
        for (const [mt, media] of Object.entries(r.content || {}))
            if (media.schema)
                walk(media.schema, `${ptr}/content/${escapePointer(mt)}/schema`, false, from);
    }
    return problems;
}

// ---- the route table (server/routes.c) and the spec's operations must be the same set
function compareRoutes(spec, routesC) {
    const routes = [...routesC.matchAll(/\{\s*"([A-Z]+)",\s*"([^"]+)",/g)].map((m) => `${m[1]} ${m[2]}`);
    const ops = Object.entries(spec.paths || {}).flatMap(([p, item]) =>
        METHODS.filter((m) => item[m] && m !== 'head').map((m) => `${m.toUpperCase()} ${p}`));
    return [
        ...routes.filter((r) => !ops.includes(r)).map((r) => `route ${r} has no operation in the spec`),
        ...ops.filter((o) => !routes.includes(o)).map((o) => `operation ${o} is not in the route table`),
    ];
}

// ---- path matching
function compileTemplates(spec) {
    return Object.keys(spec.paths || {}).map((tpl) => {
        const segs = tpl.split('/').slice(1);
        return { tpl, segs, literals: segs.filter((s) => !/^\{[^}]+\}$/.test(s)).length };
    });
}

function matchPath(templates, path) {
    const segs = path.split('/').slice(1);
    let best = null;
    for (const t of templates) {
        if (t.segs.length !== segs.length)
            continue;
        const ok = t.segs.every((s, i) => (/^\{[^}]+\}$/.test(s) ? segs[i] !== '' : s === segs[i]));
        if (ok && (!best || t.literals > best.literals))
            best = t;
    }
    return best;
}

// The path as the server routes it: libmicrohttpd percent-decodes the path (%2e%2e is "..",
// not normalised away as WHATWG URL parsing would) and leaves a malformed escape as it is.
function serverPath(target) {
    const raw = target.split('?')[0];
    return raw.replace(/%([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

// The path for grouping failures of unknown paths: ids become {id}.
function genericPath(path) {
    return path.split('/').map((s) =>
        (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s) || /^[0-9]+$/.test(s) ? '{id}' : s))
        .join('/');
}

// ---- response checks
function mediaType(ct) {
    return ct ? ct.split(';')[0].trim().toLowerCase() : null;
}

function isJson(mt) {
    return mt === 'application/json' || /\+json$/.test(mt);
}

function formatErrors(errors) {
    const sorted = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length);
    return sorted.slice(0, 3).map((e) => {
        const extra = e.params.additionalProperty || e.params.unevaluatedProperty;
        const allowed = e.params.allowedValues ? ` ${JSON.stringify(e.params.allowedValues)}` : '';
        return `${e.instancePath || '(body)'} ${e.message}${extra ? ` '${extra}'` : ''}${allowed}`;
    }).join('; ');
}

class Checker {
    constructor(spec) {
        this.spec = spec;
        this.templates = compileTemplates(spec);
        this.ajv = new Ajv2020({ strict: false, allErrors: true });
        addFormats(this.ajv);
        this.ajv.addSchema(spec, SPEC_ID);
        this.validators = new Map();
    }

    validator(ptr) {
        if (!this.validators.has(ptr))
            this.validators.set(ptr, this.ajv.compile({ $ref: `${SPEC_ID}${ptr}` }));
        return this.validators.get(ptr);
    }

    // Returns { op: "GET /v1/x 200", error: string|null }
    check(x) {
        const path = serverPath(x.path);
        const method = x.method.toUpperCase();
        const t = matchPath(this.templates, path);
        if (ANYWHERE[x.status]) {
            const [name, slug] = ANYWHERE[x.status];
            return this.checkGeneric(x, `${method} ${t ? t.tpl : genericPath(path)}`, name, x.status, slug);
        }
        if (!t)
            return this.checkGeneric(x, `(no route) ${method} ${genericPath(path)}`, 'NoRoute', 404, 'no-route');
        const item = this.spec.paths[t.tpl];
        if (method === 'OPTIONS' && !item.options)
            return this.checkGeneric(x, `OPTIONS ${t.tpl}`, 'Preflight', 204, null);
        const m = method === 'HEAD' && !item.head ? 'get' : method.toLowerCase();
        if (!METHODS.includes(m) || !item[m])
            return this.checkGeneric(x, `${method} ${t.tpl}`, 'MethodNotAllowed', 405, 'method-not-allowed');
        const op = `${method} ${t.tpl} ${x.status}`;
        const responses = item[m].responses || {};
        const st = String(x.status);
        const key = [st, `${st[0]}XX`, 'default'].find((k) => responses[k] !== undefined);
        if (!key)
            return { op, error: `status ${st} is not documented (documented: ${Object.keys(responses).join(', ')})` };
        const [resp, ptr] = deref(this.spec, responses[key],
            `#/paths/${escapePointer(t.tpl)}/${m}/responses/${key}`);
        const pair = `${m.toUpperCase()} ${t.tpl} ${key}`;
        return { op, pair, error: this.checkBody(x, resp, ptr, method === 'HEAD') };
    }

    // Unknown path or method: the documented generic problem of components.responses[name].
    checkGeneric(x, label, name, status, slug) {
        const op = `${label} ${x.status}`;
        const resp = ((this.spec.components || {}).responses || {})[name];
        if (!resp)
            return { op, error: `components.responses.${name} is missing: it documents this answer` };
        if (x.status !== status)
            return { op, error: `expected ${status} ${slug}, got ${x.status}` };
        const error = this.checkBody(x, resp, `#/components/responses/${name}`, x.method === 'HEAD');
        if (error)
            return { op, error };
        if (slug && x.method !== 'HEAD' && JSON.parse(x.body).type !== `urn:crmd:problem:${slug}`)
            return { op, error: `problem type is not urn:crmd:problem:${slug}` };
        return { op, error: null };
    }

    checkBody(x, resp, ptr, head) {
        const content = resp.content || {};
        const types = Object.keys(content);
        if (x.body_invalid)
            return 'the body is not valid UTF-8';
        const body = x.body || '';
        if (body === '') {
            if (types.length && !head)
                return `documented with a body (${types.join(', ')}) but the response has none`;
            return null;
        }
        if (!types.length)
            return `documented without a body but the response has one (${x.content_type})`;
        const mt = mediaType(x.content_type);
        if (!mt || !content[mt])
            return `content type ${x.content_type || '(none)'} is not documented (documented: ${types.join(', ')})`;
        if (!content[mt].schema || !isJson(mt))
            return null;
        let doc;
        try {
            doc = JSON.parse(body);
        } catch (e) {
            return `the body is not JSON: ${e.message}`;
        }
        const v = this.validator(`${ptr}/content/${escapePointer(mt)}/schema`);
        if (!v(doc))
            return formatErrors(v.errors);
        if (mt === 'application/problem+json' && doc.status !== x.status)
            return `the problem's status ${doc.status} is not the HTTP status ${x.status}`;
        return null;
    }
}

// ---- documented responses no test produces
// Every (METHOD template STATUS) an operation lists; 414/431, NoRoute, MethodNotAllowed and
// Preflight are components no operation lists, so they are not pairs.
function documentedPairs(spec) {
    return Object.entries(spec.paths || {}).flatMap(([p, item]) =>
        METHODS.filter((m) => item[m]).flatMap((m) =>
            Object.keys(item[m].responses || {}).map((st) => `${m.toUpperCase()} ${p} ${st}`)));
}

// The allow-list: `METHOD /path STATUS  # reason` a line; blank lines and lines starting
// with # are comments. Returns { entries: Map pair -> reason, errors: [string] }.
function parseAllowList(text) {
    const entries = new Map();
    const errors = [];
    text.split('\n').forEach((raw, i) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            return;
        const m = /^([A-Z]+) (\/\S*) ([0-9]{3}|[1-5]XX|default)\s*(?:#\s*(.*))?$/.exec(line);
        if (!m)
            errors.push(`line ${i + 1}: not "METHOD /path STATUS  # reason": ${line}`);
        else if (!m[4] || !m[4].trim())
            errors.push(`line ${i + 1}: ${m[1]} ${m[2]} ${m[3]} has no reason (# why no test can produce it)`);
        else if (entries.has(`${m[1]} ${m[2]} ${m[3]}`))
            errors.push(`line ${i + 1}: ${m[1]} ${m[2]} ${m[3]} is listed twice`);
        else
            entries.set(`${m[1]} ${m[2]} ${m[3]}`, m[4].trim());
    });
    return { entries, errors };
}

// Judges the unproduced pairs against the allow-list (entries of parseAllowList).
// failures: unproduced and not listed, or listed but not documented; stale: listed yet produced.
function judgeUnproduced(documented, produced, entries) {
    const unproduced = documented.filter((p) => !produced.has(p));
    const docSet = new Set(documented);
    return {
        unproduced,
        unlisted: unproduced.filter((p) => !entries.has(p)),
        unknown: [...entries.keys()].filter((p) => !docSet.has(p)),
        stale: [...entries.keys()].filter((p) => docSet.has(p) && produced.has(p)),
    };
}

// Prints the figures and the verdict; returns true when the check fails.
function reportUnproduced(spec, produced, opts) {
    const documented = documentedPairs(spec);
    let entries = new Map();
    let failed = false;
    if (opts.allowFile) {
        const list = parseAllowList(fs.readFileSync(opts.allowFile, 'utf8'));
        for (const e of list.errors)
            console.log(`contract: ${opts.allowFile} ${e}`);
        failed = list.errors.length > 0;
        entries = list.entries;
    }
    const j = judgeUnproduced(documented, produced, entries);
    console.log(`contract: ${documented.length} documented operation/status pairs, ` +
        `${documented.length - j.unproduced.length} produced, ${j.unproduced.length} unproduced` +
        (opts.allowFile ? ` (${j.unproduced.length - j.unlisted.length} on ${opts.allowFile})` : ''));
    if (opts.list)
        for (const p of j.unproduced)
            console.log(`  unproduced ${p}${entries.has(p) ? `  # ${entries.get(p)}` : ''}`);
    if (!opts.allowFile)
        return failed;
    for (const p of j.stale)
        console.log(`contract: warning: ${p} is produced now; remove it from ${opts.allowFile}`);
    for (const p of j.unknown)
        console.log(`contract: ${opts.allowFile} lists ${p}, which no operation documents`);
    for (const p of j.unlisted)
        console.log(`contract: ${p} is documented but no test produces it ` +
            `(add a test, or a line with the reason to ${opts.allowFile})`);
    return failed || j.unlisted.length > 0 || j.unknown.length > 0;
}

function parseArgs(argv) {
    const opts = { list: false, allowFile: null, files: [] };
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === '--unproduced')
            opts.list = true;
        else if (argv[i] === '--require-produced')
            opts.allowFile = argv[++i];
        else
            opts.files.push(argv[i]);
    }
    return opts;
}

function main() {
    const opts = parseArgs(process.argv.slice(2));
    const [specFile, logFile, routesFile] = opts.files;
    if (!specFile || !logFile || (opts.allowFile === undefined)) {
        console.error('usage: contract-check.js [--unproduced] [--require-produced LIST] SPEC.json LOG.jsonl [server/routes.c]');
        process.exit(2);
    }
    const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
    let failed = false;

    if (routesFile) {
        const mismatches = compareRoutes(spec, fs.readFileSync(routesFile, 'utf8'));
        for (const m of mismatches)
            console.log(`contract: ${m}`);
        failed = mismatches.length > 0;
    }

    const open = auditSchemas(spec);
    if (open.size) {
        failed = true;
        console.log(`contract: ${open.size} object schema(s) in responses state neither additionalProperties ` +
            'nor unevaluatedProperties (undocumented members would pass):');
        for (const [ptr, from] of open)
            console.log(`  ${ptr}  (reached from ${from})`);
    }

    if (!fs.existsSync(logFile)) {
        console.log(`contract: no exchange log ${logFile}: run the e2e tests first (make e2e)`);
        process.exit(1);
    }
    const checker = new Checker(spec);
    const groups = new Map(); // op -> { count, first, example }
    const seen = new Set();
    const produced = new Set(); // documented pairs answered, whether the answer passed or not
    let n = 0;
    for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
        if (!line)
            continue;
        const x = JSON.parse(line);
        n++;
        let r;
        try {
            r = checker.check(x);
        } catch (e) {
            r = { op: `${x.method} ${x.path} ${x.status}`, error: `checker error: ${e.message}` };
        }
        seen.add(r.op);
        if (r.pair)
            produced.add(r.pair);
        if (!r.error)
            continue;
        const g = groups.get(r.op) || { count: 0, first: r.error, example: `${x.method} ${x.path}` };
        g.count++;
        groups.set(r.op, g);
    }
    let nfail = 0;
    for (const [op, g] of [...groups].sort()) {
        nfail += g.count;
        console.log(`FAIL ${op} (${g.count}x, e.g. ${g.example.slice(0, 120)}):\n     ${g.first}`);
    }
    const documented = Object.entries(spec.paths || {}).flatMap(([p, item]) =>
        METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${p}`));
    const exercised = new Set([...seen].map((op) => op.replace(/^HEAD /, 'GET ').replace(/ [0-9]{3}$/, '')));
    const missed = documented.filter((op) => !exercised.has(op));
    if (missed.length)
        console.log(`contract: ${documented.length - missed.length} of ${documented.length} documented operations ` +
            `exercised; not: ${missed.slice(0, 8).join(', ')}${missed.length > 8 ? ', …' : ''}`);
    if (n === 0) {
        console.log(`contract: ${logFile} holds no exchange`);
        failed = true;
    }
    if (reportUnproduced(spec, produced, opts))
        failed = true;
    console.log(`contract: ${n} exchanges checked against ${specFile}, ${seen.size} operation/status pairs; ` +
        `${nfail} failed in ${groups.size} group(s)`);
    if (nfail || failed)
        process.exit(1);
}

if (require.main === module)
    main();
module.exports = { Checker, auditSchemas, compareRoutes, documentedPairs, parseAllowList, judgeUnproduced };
