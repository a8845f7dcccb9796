#!/usr/bin/env node
// The HTML reference served at GET /docs: `redocly build-docs` renders the
// spec with Redoc (prerendered HTML plus hydration state), then the Redoc
// script it would load from a CDN is inlined from node_modules/redoc, so the
// page needs no network (a dealership may be offline). Fails if the page
// still loads anything from elsewhere.
// Usage: node build-docs.js SPEC.yaml OUT.html
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const [spec, out] = process.argv.slice(2);
if (!spec || !out) {
    console.error('usage: build-docs.js SPEC.yaml OUT.html');
    process.exit(2);
}
const here = __dirname;
const tmp = `${out}.tmp.html`;
execFileSync(
    path.join(here, 'node_modules', '.bin', 'redocly'),
    ['build-docs', spec, '-o', tmp, '--disableGoogleFont', '--title', 'crmd API reference',
        '--config', path.join(here, 'redocly.yaml'), '--lint-config', 'off'],
    { stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } });
let html = fs.readFileSync(tmp, 'utf8');
fs.unlinkSync(tmp);

const cdn = /<script src="https:\/\/cdn\.redocly\.com\/redoc\/v[0-9.]+\/bundles\/redoc\.standalone\.js"><\/script>/;
if (!cdn.test(html)) {
    console.error('build-docs.js: the Redoc script tag was not found; the Redocly CLI template changed');
    process.exit(1);
}
const redoc = fs.readFileSync(require.resolve('redoc/bundles/redoc.standalone.js'), 'utf8')
    .replace(/<\/script/gi, '<\\/script');
html = html.replace(cdn, () => `<script>${redoc}</script>`);

const remote = html.match(/<(script|link|img|iframe)\b[^>]*\b(src|href)="(https?:)?\/\/[^"]*"/i);
if (remote) {
    console.error(`build-docs.js: the page still loads from the network: ${remote[0]}`);
    process.exit(1);
}
fs.writeFileSync(out, html);
