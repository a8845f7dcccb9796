#!/usr/bin/env node
// Set info.version of the bundled OpenAPI document (build/<flavour>/api/openapi.json)
// to the binary's version (the Makefile's VERSION, what `crmd --version` prints), so
// the served /openapi.json and /docs name the build they describe.
// Usage: node set-version.js OPENAPI.json VERSION
'use strict';
const fs = require('fs');

const [file, version] = process.argv.slice(2);
if (!file || !version) {
    console.error('usage: set-version.js OPENAPI.json VERSION');
    process.exit(2);
}
const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
doc.info.version = version;
fs.writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
