#!/usr/bin/env node
// The HTML reference served at GET /docs: `redocly build-docs` renders the
// spec with Redoc (prerendered HTML plus hydration state), then the Redoc
// script it would load from a CDN is inlined from node_modules/redoc, so the
// page needs no network (a dealership may be offline). The prerendering uses
// the React of package.json, pinned to the one redoc.standalone.js bundles
// (18.3.1): another one renders markup the page's React does not hydrate
// (React error #418 in the console, then a full client render). Redoc's
// sidebar footer would fetch the Redocly logo from cdn.redoc.ly: the image
// is left out (the link "API docs by Redocly" stays). The page's icon is the
// desk's (/desk/icon.svg). Fails if the page still loads anything from
// elsewhere.
// Usage: node build-docs.js SPEC OUT.html   (SPEC: the YAML, or the bundled JSON)
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const [spec, out] = process.argv.slice(2);
if (!spec || !out) {
    console.error('usage: build-docs.js SPEC OUT.html');
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
// The Redoc that rendered the page (npm may nest it under the CLI).
const redocFile = require.resolve('redoc/bundles/redoc.standalone.js',
    { paths: [path.join(here, 'node_modules', '@redocly', 'cli')] });
const redoc = fs.readFileSync(redocFile, 'utf8')
    .replace(/<\/script/gi, '<\\/script');
html = html.replace(cdn, () => `<script>${redoc}</script>`);

// The logo's component: createElement("img",{alt:"redocly logo",onError:...,src:"https://cdn.redoc.ly/..."})
const logo = /\b[A-Za-z_$][\w$]*\.createElement\("img",\{alt:"redocly logo",onError:\(\)=>[\w$]+\(!1\),src:"https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini\.svg"\}\)/g;
const logos = html.match(logo) || [];
if (logos.length !== 1) {
    console.error(`build-docs.js: the Redocly logo image was found ${logos.length} times, not once; the Redoc bundle changed`);
    process.exit(1);
}
html = html.replace(logo, 'null');

const icon = '<link rel="icon" type="image/svg+xml" href="/desk/icon.svg">';
if (!/<\/title>\n/.test(html)) {
    console.error('build-docs.js: no </title> to put the icon after; the Redocly CLI template changed');
    process.exit(1);
}
html = html.replace(/<\/title>\n/, (t) => `${t}  ${icon}\n`);

const remote = html.match(/<(script|link|img|iframe)\b[^>]*\b(src|href)="(https?:)?\/\/[^"]*"/i);
if (remote) {
    console.error(`build-docs.js: the page still loads from the network: ${remote[0]}`);
    process.exit(1);
}
const cdnLeft = html.match(/https?:\/\/cdn\.[^"'`\s]*/);
if (cdnLeft) {
    console.error(`build-docs.js: the page still names a CDN: ${cdnLeft[0]}`);
    process.exit(1);
}
fs.writeFileSync(out, html);
