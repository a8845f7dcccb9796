// Tests of contract-check.js on a small spec: every rule fails when broken
// (node --test tools/api/contract-check.test.js; part of `make test`).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { Checker, auditSchemas, compareRoutes, documentedPairs, parseAllowList, judgeUnproduced } =
    require('./contract-check.js');

const problem = {
    type: 'object', additionalProperties: false, required: ['type', 'status'],
    properties: { type: { type: 'string' }, status: { type: 'integer' }, title: { type: 'string' } },
};
const problemResponse = { description: 'p', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

function spec(thing) {
    return {
        openapi: '3.1.0', info: { title: 't', version: '1' },
        paths: {
            '/things/{id}': {
                get: { responses: {
                    200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
                    304: { description: 'not modified' },
                    404: { $ref: '#/components/responses/NotFound' } } },
            },
            '/things/special': { get: { responses: { 200: { description: 'ok', content: { 'text/html': { schema: { type: 'string' } } } } } } },
        },
        components: {
            schemas: { Thing: thing, Problem: problem },
            responses: { NotFound: problemResponse, NoRoute: problemResponse, MethodNotAllowed: problemResponse,
                Preflight: { description: 'preflight' }, HeadersTooLarge: problemResponse, UriTooLong: problemResponse },
        },
    };
}
const closed = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } };
const id = '6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab';
const json = 'application/json; charset=utf-8';
const pj = 'application/problem+json; charset=utf-8';

function check(x, thing = closed) {
    return new Checker(spec(thing)).check({ method: 'GET', content_type: json, ...x });
}

test('a documented answer passes', () => {
    assert.strictEqual(check({ path: `/things/${id}?x=1`, status: 200, body: JSON.stringify({ id }) }).error, null);
    assert.strictEqual(check({ path: `/things/${id}`, status: 304, body: '', content_type: null }).error, null);
    assert.strictEqual(check({ method: 'HEAD', path: `/things/${id}`, status: 200, body: '' }).error, null);
});

test('literal segments win over templates', () => {
    const r = check({ path: '/things/special', status: 200, body: '<html>', content_type: 'text/html; charset=utf-8' });
    assert.strictEqual(r.op, 'GET /things/special 200');
    assert.strictEqual(r.error, null);
});

test('paths are decoded like the server does, never normalised', () => {
    const nf = JSON.stringify({ type: 'urn:crmd:problem:not-found', status: 404 });
    assert.strictEqual(check({ path: '/things/%2e%2e', status: 404, body: nf, content_type: pj }).op, 'GET /things/{id} 404');
    const r = check({ path: '/%2e%2e/things', status: 404, body: nf, content_type: pj });
    assert.match(r.op, /^\(no route\) GET \/\.\.\/things/);
});

test('an undocumented status fails', () => {
    assert.match(check({ path: `/things/${id}`, status: 409, body: '{}', content_type: pj }).error, /status 409 is not documented/);
});

test('an undocumented member fails', () => {
    assert.match(check({ path: `/things/${id}`, status: 200, body: JSON.stringify({ id, extra: 1 }) }).error,
        /additional properties 'extra'/);
});

test('a wrong type or format fails', () => {
    assert.match(check({ path: `/things/${id}`, status: 200, body: '{"id":"nope"}' }).error, /format "uuid"/);
});

test('an undocumented content type fails, and so does a missing or extra body', () => {
    assert.match(check({ path: `/things/${id}`, status: 200, body: '{}', content_type: 'text/plain' }).error,
        /content type text\/plain is not documented/);
    assert.match(check({ path: `/things/${id}`, status: 200, body: '' }).error, /but the response has none/);
    assert.match(check({ path: `/things/${id}`, status: 304, body: '{}' }).error, /documented without a body/);
});

test('unknown paths must answer the documented no-route problem', () => {
    const ok = { path: '/nope', status: 404, content_type: pj, body: '{"type":"urn:crmd:problem:no-route","status":404}' };
    assert.strictEqual(check(ok).error, null);
    assert.match(check({ ...ok, status: 200 }).error, /expected 404 no-route/);
    assert.match(check({ ...ok, body: '{"type":"urn:crmd:problem:not-found","status":404}' }).error, /not urn:crmd:problem:no-route/);
});

test("a problem's status must be the HTTP status", () => {
    assert.match(check({ path: `/things/${id}`, status: 404, content_type: pj, body: '{"type":"x","status":400}' }).error,
        /status 400 is not the HTTP status 404/);
});

test('unknown methods must answer the documented 405 problem', () => {
    const ok = { method: 'DELETE', path: `/things/${id}`, status: 405, content_type: pj,
        body: '{"type":"urn:crmd:problem:method-not-allowed","status":405}' };
    assert.strictEqual(check(ok).error, null);
    assert.match(check({ ...ok, status: 204, body: '' }).error, /expected 405/);
});

test('431 and 414 on any path and method must answer their documented problems', () => {
    const big = { method: 'POST', path: `/things/${id}`, status: 431, content_type: pj,
        body: '{"type":"urn:crmd:problem:headers-too-large","status":431}' };
    assert.strictEqual(check(big).error, null);
    assert.strictEqual(check({ ...big, path: '/nope' }).error, null);
    assert.match(check({ ...big, body: '{"type":"urn:crmd:problem:bad-request","status":431}' }).error,
        /not urn:crmd:problem:headers-too-large/);
    const long = { path: '/nope?a=1', status: 414, content_type: pj, body: '{"type":"urn:crmd:problem:uri-too-long","status":414}' };
    assert.strictEqual(check(long).error, null);
    assert.match(check({ ...long, body: '' }).error, /documented with a body/);
});

test('OPTIONS on a known path must answer the documented 204 preflight', () => {
    const ok = { method: 'OPTIONS', path: `/things/${id}`, status: 204, content_type: null, body: '' };
    assert.strictEqual(check(ok).error, null);
    assert.match(check({ ...ok, status: 405, content_type: pj,
        body: '{"type":"urn:crmd:problem:method-not-allowed","status":405}' }).error, /expected 204/);
    assert.match(check({ ...ok, path: '/nowhere', status: 204 }).error, /expected 404/);
});

test('object schemas of responses must state additionalProperties', () => {
    assert.strictEqual(auditSchemas(spec(closed)).size, 0);
    const open = { type: 'object', properties: { id: { type: 'string' } } };
    assert.deepStrictEqual([...auditSchemas(spec(open)).keys()], ['#/components/schemas/Thing']);
    const nested = { ...closed, properties: { id: { type: 'object', properties: {} } } };
    assert.deepStrictEqual([...auditSchemas(spec(nested)).keys()], ['#/components/schemas/Thing/properties/id']);
    const composed = { allOf: [open, { type: 'object', properties: { n: { type: 'integer' } } }], unevaluatedProperties: false };
    assert.strictEqual(auditSchemas(spec(composed)).size, 0);
});

test('the route table and the operations must match', () => {
    const routes = '{ "GET", "/things/{id}", things_get },\n    { "GET", "/things/special", special },';
    assert.deepStrictEqual(compareRoutes(spec(closed), routes), []);
    assert.deepStrictEqual(compareRoutes(spec(closed), `${routes}\n    { "DELETE", "/things/{id}", del },`),
        ['route DELETE /things/{id} has no operation in the spec']);
    assert.deepStrictEqual(compareRoutes(spec(closed), routes.split('\n')[0]),
        ['operation GET /things/special is not in the route table']);
});

test('documented pairs: each status of each operation, none for the components of any path', () => {
    assert.deepStrictEqual(documentedPairs(spec(closed)),
        ['GET /things/{id} 200', 'GET /things/{id} 304', 'GET /things/{id} 404', 'GET /things/special 200']);
});

test('produced pair: the documented operation and status an exchange matched; HEAD counts as GET', () => {
    assert.strictEqual(check({ path: `/things/${id}`, status: 200, body: `{"id":"${id}"}` }).pair, 'GET /things/{id} 200');
    assert.strictEqual(check({ method: 'HEAD', path: `/things/${id}`, status: 304, body: '' }).pair, 'GET /things/{id} 304');
    assert.strictEqual(check({ path: `/things/${id}`, status: 418, body: '' }).pair, undefined);
    assert.strictEqual(check({ path: '/nowhere', status: 404, content_type: pj,
        body: '{"type":"urn:crmd:problem:no-route","status":404}' }).pair, undefined);
});

test('allow-list: pairs with reasons; comments and blank lines skipped', () => {
    const { entries, errors } = parseAllowList('# header\n\nGET /things/{id} 304  # needs a cache\n');
    assert.deepStrictEqual(errors, []);
    assert.deepStrictEqual([...entries], [['GET /things/{id} 304', 'needs a cache']]);
});

test('allow-list: a missing reason, a malformed line and a duplicate are errors', () => {
    const { entries, errors } = parseAllowList(
        'GET /things/{id} 304\nGET /things/{id} 404 #   \nGET things 200 # x\nGET /a 500 # r\nGET /a 500 # r\n');
    assert.strictEqual(errors.length, 4);
    assert.match(errors[0], /line 1: GET \/things\/\{id\} 304 has no reason/);
    assert.match(errors[1], /line 2: .* has no reason/);
    assert.match(errors[2], /line 3: not "METHOD \/path STATUS/);
    assert.match(errors[3], /line 5: GET \/a 500 is listed twice/);
    assert.deepStrictEqual([...entries.keys()], ['GET /a 500']);
});

test('judge: unproduced and unlisted fails; listed yet produced is stale; listed but undocumented is unknown', () => {
    const documented = documentedPairs(spec(closed));
    const produced = new Set(['GET /things/{id} 200', 'GET /things/{id} 404']);
    const entries = new Map([['GET /things/{id} 304', 'r'], ['GET /things/{id} 404', 'r'], ['GET /gone 500', 'r']]);
    const j = judgeUnproduced(documented, produced, entries);
    assert.deepStrictEqual(j.unproduced, ['GET /things/{id} 304', 'GET /things/special 200']);
    assert.deepStrictEqual(j.unlisted, ['GET /things/special 200']);
    assert.deepStrictEqual(j.stale, ['GET /things/{id} 404']);
    assert.deepStrictEqual(j.unknown, ['GET /gone 500']);
});
