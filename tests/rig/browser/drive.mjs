// Drives Debian's Chromium (playwright-core) with lib-jitsi-meet peers for the Treffpunkt rig.
//
//   node drive.mjs <artifact-dir> <home-with-nss-db>
//
// Protocol: JSON lines.  Requests on stdin: {id, op, peer?, ...}; answers on stdout:
// {id, ok: true, result} or {id, ok: false, error}; events, unasked: {peer, event}.
// ops: open {peer}            a new isolated browser context + page (peer.html)
//      call {peer, method, args}   window.rig[method](...args) in that page
//      screenshot {peer, path}
//      close {peer}
//      shutdown
// The pages are served from this folder on http://127.0.0.1:<free port> (a secure
// context, so getUserMedia works).  The rig's CA is trusted through the NSS db in HOME,
// not by switching certificate checks off.
import { createServer } from 'node:http';
import { createReadStream, appendFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const [artifacts, home] = process.argv.slice(2);
if (!artifacts || !home) {
    console.error('usage: node drive.mjs <artifact-dir> <home>');
    process.exit(2);
}

// Only these files are served: the page, its script, jQuery and the lib-jitsi-meet bundle.
const SERVED = new Set([
    '/peer.html', '/peer.js', '/node_modules/jquery/dist/jquery.min.js',
    '/vendor/package/lib-jitsi-meet.min.js', '/vendor/package/lib-jitsi-meet.min.map'
]);
const TYPES = { '.html': 'text/html', '.js': 'application/javascript', '.map': 'application/json' };

function send(message) {
    process.stdout.write(`${JSON.stringify(message)}\n`);
}

function fileLog(peer, kind, line) {
    appendFileSync(join(artifacts, `${peer}-${kind}.log`), `${new Date().toISOString()} ${line}\n`);
}

const server = createServer((req, res) => {
    const path = normalize(new URL(req.url, 'http://127.0.0.1').pathname);
    if (!SERVED.has(path)) {
        res.writeHead(404).end();
        return;
    }
    const file = join(here, path);
    try {
        res.writeHead(200, { 'Content-Type': TYPES[extname(file)], 'Content-Length': statSync(file).size });
        createReadStream(file).pipe(res);
    } catch (e) {
        res.writeHead(500).end(String(e));
    }
});
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const pageUrl = `http://127.0.0.1:${server.address().port}/peer.html`;

const browser = await chromium.launch({
    executablePath: process.env.RIG_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    env: { ...process.env, HOME: home },
    args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--disable-default-apps', '--disable-extensions', '--no-default-browser-check',
        '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
        '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required'
    ]
    // Playwright gives Chromium a fresh, empty --user-data-dir of its own.
});

const peers = new Map(); // name -> {context, page}

async function open(name) {
    if (peers.has(name)) {
        throw new Error(`peer ${name} exists`);
    }
    const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
    const page = await context.newPage();
    await page.exposeFunction('rigEmit', event => {
        fileLog(name, 'events', JSON.stringify(event));
        send({ peer: name, event });
    });
    await page.exposeFunction('rigLog', (kind, line) => fileLog(name, kind, line));
    page.on('console', msg => fileLog(name, 'console', `[${msg.type()}] ${msg.text()}`));
    page.on('pageerror', err => {
        fileLog(name, 'console', `[pageerror] ${err}`);
        send({ peer: name, event: { name: 'page_error', t: Date.now(), message: String(err) } });
    });
    await page.goto(pageUrl);
    await page.waitForFunction(() => Boolean(window.rig));
    peers.set(name, { context, page });
    return { pageUrl };
}

function peer(name) {
    const entry = peers.get(name);
    if (!entry) {
        throw new Error(`no peer ${name}`);
    }
    return entry;
}

async function handle(request) {
    switch (request.op) {
    case 'open':
        return open(request.peer);
    case 'call':
        return peer(request.peer).page.evaluate(
            ({ method, args }) => window.rig[method](...args), { method: request.method, args: request.args || [] });
    case 'screenshot':
        await peer(request.peer).page.screenshot({ path: request.path });
        return null;
    case 'close': {
        const entry = peers.get(request.peer);
        if (entry) {
            peers.delete(request.peer);
            await entry.page.evaluate(() => window.rig.leave()).catch(() => null);
            await entry.context.close();
        }
        return null;
    }
    case 'shutdown':
        await shutdown();
        return null;
    default:
        throw new Error(`unknown op ${request.op}`);
    }
}

let closing = false;
async function shutdown() {
    if (closing) {
        return;
    }
    closing = true;
    for (const { context } of peers.values()) {
        await context.close().catch(() => null);
    }
    await browser.close().catch(() => null);
    server.close();
    setImmediate(() => process.exit(0));
}

const lines = createInterface({ input: process.stdin });
lines.on('line', async line => {
    let request;
    try {
        request = JSON.parse(line);
    } catch (e) {
        send({ id: null, ok: false, error: `bad request: ${e}` });
        return;
    }
    try {
        const result = await handle(request);
        send({ id: request.id, ok: true, result: result === undefined ? null : result });
    } catch (e) {
        send({ id: request.id, ok: false, error: String(e && e.stack ? e.stack : e) });
    }
});
lines.on('close', () => shutdown());   // pytest went away: stop Chromium too
process.on('SIGTERM', () => shutdown());

send({ ready: true, pageUrl, browserVersion: browser.version() });
