// harness: the real parts for the browser tests. A real crmd (CRMD_BIN, default
// build/debug/crmd) on an ephemeral port with a fresh temporary SQLite database and
// the demo data, and Debian's Chromium (/usr/bin/chromium, or CHROMIUM) driven by
// playwright-core. No mocks: the page talks to the server over HTTP like a desk PC.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../desk/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const CRMD_BIN = resolve(process.env.CRMD_BIN || 'build/debug/crmd');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** Failure screenshots land here (make test keeps them for the developer). */
export const ARTIFACTS = resolve(process.env.CRMD_BROWSER_ARTIFACTS || 'build/browser');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Start crmd on port 0 with a fresh database. opts.demo (default true) loads the demo
 * data; opts.env adds variables (e.g. CRMD_FAKE_NOW). Resolves when /readyz answers 200.
 * Returns { url, db, dir, adminKey, log(), createKey(role, name), revokeKey(name), api(), stop(), restart() }.
 */
export async function startCrmd(opts = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'crmd-browser-'));
    const db = join(dir, 'desk.db');
    const srv = { dir, db, proc: null, port: 0, url: '', adminKey: '', logText: '' };

    async function launch(port) {
        const args = ['--port', String(port), '--db', db, '--threads', '2'];
        if (opts.demo !== false) args.push('--demo');
        srv.logText = '';
        let out = '';
        const proc = spawn(CRMD_BIN, args, {
            env: { ...process.env, ...(opts.env || {}) },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        proc.stdout.on('data', (d) => { out += d; });
        proc.stderr.on('data', (d) => { srv.logText += d; });
        srv.proc = proc;
        const deadline = Date.now() + 20000;
        while (!srv.port || port === 0) {
            const m = /listening on \S+ \(port (\d+)\)/.exec(srv.logText);
            if (m) { srv.port = Number(m[1]); break; }
            if (proc.exitCode !== null) throw new Error(`crmd exited during start:\n${srv.logText}`);
            if (Date.now() > deadline) throw new Error(`crmd did not log its port:\n${srv.logText}`);
            await sleep(20);
        }
        srv.url = `http://127.0.0.1:${srv.port}`;
        while (true) {
            try {
                const r = await fetch(`${srv.url}/readyz`);
                if (r.status === 200) break;
            } catch { /* not yet */ }
            if (Date.now() > deadline) throw new Error(`crmd not ready:\n${srv.logText}`);
            await sleep(20);
        }
        const key = /Bearer (crmd_[A-Za-z0-9_-]+)/.exec(out);
        if (key) srv.adminKey = key[1];
        if (!srv.adminKey) srv.adminKey = srv.createKey('admin', 'browser-tests');
    }

    srv.log = () => srv.logText;
    /** A new personal key made by the CLI, as an administrator does: crmd keys create. */
    srv.createKey = (role, name) =>
        execFileSync(CRMD_BIN, ['keys', 'create', '--db', db, '--role', role, '--name', name], {
            encoding: 'utf8',
        }).trim();
    /** Call the API as a script would (admin key unless given), for setting up data. */
    srv.api = async (method, path, body, key = srv.adminKey) => {
        const r = await fetch(srv.url + path, {
            method,
            headers: {
                Authorization: `Bearer ${key}`,
                ...(body ? { 'Content-Type': 'application/json' } : {}),
            },
            body: body ? JSON.stringify(body) : undefined,
        });
        const text = await r.text();
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch { json = text; }
        return { status: r.status, json, headers: r.headers };
    };
    /** Stop the server (SIGTERM) and wait for it; the database stays for restart(). */
    srv.stop = async () => {
        if (!srv.proc || srv.proc.exitCode !== null) return;
        const done = new Promise((r) => srv.proc.once('exit', r));
        srv.proc.kill('SIGTERM');
        await done;
    };
    /** Start again on the same port and database (the page keeps its address). */
    srv.restart = async () => {
        await srv.stop();
        await launch(srv.port);
    };
    srv.cleanup = async () => {
        await srv.stop();
        rmSync(dir, { recursive: true, force: true });
    };
    await launch(0);
    return srv;
}

/** Debian's Chromium, headless, with no network beyond what the page asks for. */
export function launchBrowser() {
    return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
            '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync',
            '--disable-dev-shm-usage',
        ],
    });
}

/**
 * A fresh browser context and page (its own sessionStorage) with a locale and a
 * viewport (desk PC 1280×800 by default). Console errors and failed page loads
 * are collected in page.crmdErrors for the tests to assert on.
 */
export async function newPage(browser, { locale = 'de-DE', viewport = { width: 1280, height: 800 } } = {}) {
    const context = await browser.newContext({ locale, viewport, extraHTTPHeaders: {} });
    const page = await context.newPage();
    page.crmdErrors = [];
    page.on('pageerror', (e) => page.crmdErrors.push(String(e)));
    page.on('console', (m) => {
        if (m.type() === 'error') page.crmdErrors.push(m.text());
    });
    return page;
}

/**
 * Run axe-core (WCAG 2.1 A and AA rules) on the page as it is now. Returns the
 * violations of impact serious or critical (the tests expect none).
 */
export async function axeSerious(page) {
    // Through the DevTools protocol: the page's CSP (rightly) refuses an inline script tag.
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        return await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    });
    return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}

/** Keep a screenshot of a failed test in ARTIFACTS/failures/<name>.png. */
export async function keepScreenshot(page, name) {
    mkdirSync(join(ARTIFACTS, 'failures'), { recursive: true });
    const file = join(ARTIFACTS, 'failures', `${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    return file;
}

/** Append a measured figure (name, value, unit) to ARTIFACTS/figures.txt and print it. */
export function figure(name, value, unit) {
    mkdirSync(ARTIFACTS, { recursive: true });
    const line = `${name}: ${value} ${unit}`;
    writeFileSync(join(ARTIFACTS, 'figures.txt'), line + '\n', { flag: 'a' });
    console.log(`# figure ${line}`);
}
