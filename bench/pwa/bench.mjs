// What a handheld downloads and how soon it can work: first-load bytes on the
// wire (compressed, and for comparison with compression refused), time to a
// usable sign-in screen at 4x CPU slowdown on slow 4G, what the service
// worker precaches on a device that never opens the camera, and how long the
// camera takes to read a badge the first time (decoder download, wasm start).
//
// Prints figures; asserts nothing about timings. Run with bench/pwa/run.sh,
// which starts a server as scripts/e2e.sh does. Env: BENCH_BASE_URL,
// BENCH_Y4M (a badge video for the camera figure, optional), BENCH_RUNS (3),
// BENCH_CHROMIUM (/usr/bin/chromium).
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../pwa/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const BASE = process.env.BENCH_BASE_URL;
if (!BASE) throw new Error('BENCH_BASE_URL is not set: run bench/pwa/run.sh');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const Y4M = process.env.BENCH_Y4M;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

// Lighthouse's "slow 4G" (its mobile default): 150 ms RTT and 1.6 Mbps
// scaled as DevTools applies them (562.5 ms latency, 1.47 Mbps down).
const SLOW_4G = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8, uploadThroughput: (750 * 1024 * 0.9) / 8 };

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function launch(extraArgs = []) {
  const browser = await chromium.launch({ executablePath: process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: [...ARGS, ...extraArgs] });
  const context = await browser.newContext({ baseURL: BASE, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-US', permissions: ['camera'] });
  const page = await context.newPage();
  return { browser, context, page };
}

/** Count every response's bytes on the wire (headers + encoded body) by CDP. */
async function wireMeter(page) {
  const cdp = await page.context().newCDPSession(page);
  const types = new Map();
  const bytes = { total: 0, script: 0, byUrl: new Map() };
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, { type: e.type, url: e.response.url }));
  cdp.on('Network.loadingFinished', (e) => {
    const r = types.get(e.requestId);
    bytes.total += e.encodedDataLength;
    if (r?.type === 'Script') bytes.script += e.encodedDataLength;
    if (r) bytes.byUrl.set(new URL(r.url).pathname, e.encodedDataLength);
  });
  await cdp.send('Network.enable');
  return { cdp, bytes };
}

/** Navigation start to a sign-in screen that takes a badge scan (the wedge listens). */
async function usable(page) {
  await page.getByRole('heading', { name: 'Scan your badge' }).waitFor({ timeout: 120_000 });
  await page.locator('html[data-wedge="ready"]').waitFor({ state: 'attached', timeout: 120_000 });
  return page.evaluate(() => performance.now());
}

async function firstLoad({ throttled, identity }) {
  const { browser, page } = await launch();
  try {
    const { cdp, bytes } = await wireMeter(page);
    if (identity) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
    if (throttled) {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    }
    await page.goto('/', { waitUntil: 'commit' });
    const ms = await usable(page);
    const atUsable = { ...bytes, byUrl: new Map(bytes.byUrl) };
    return { ms, bytes: atUsable };
  } finally {
    await browser.close();
  }
}

async function precache() {
  const { browser, page } = await launch();
  try {
    const { bytes } = await wireMeter(page);
    await page.goto('/');
    await usable(page);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 60_000 });
    const stored = await page.evaluate(async () => {
      let total = 0;
      let count = 0;
      const decoder = [];
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const req of await cache.keys()) {
          const res = await cache.match(req);
          total += (await res.blob()).size;
          count += 1;
          if (/decoder-|\.wasm$/.test(req.url)) decoder.push(req.url);
        }
      }
      return { total, count, decoder };
    });
    // A reload with everything cached: what a repeat visit costs.
    const before = bytes.total;
    const t0 = Date.now();
    await page.reload();
    await usable(page);
    return { stored, reloadBytes: bytes.total - before, reloadMs: Date.now() - t0 };
  } finally {
    await browser.close();
  }
}

async function cameraDecode() {
  const { browser, page } = await launch(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${Y4M}`]);
  try {
    await page.goto('/');
    await usable(page);
    await page.evaluate(() => navigator.serviceWorker.ready);
    const times = [];
    let decoderBytes = 0;
    for (let i = 0; i < 2; i++) {
      const t0 = Date.now();
      await page.getByRole('button', { name: 'Camera' }).click();
      await page.getByRole('heading', { name: 'Enter your PIN' }).waitFor({ timeout: 60_000 });
      times.push(Date.now() - t0);
      if (i === 0) {
        // The service worker fetched the decoder, out of the page's sight: ask
        // the server what those files weigh compressed.
        const urls = await page.evaluate(() =>
          performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /decoder-[^/]+\.js$|\.wasm$/.test(n)),
        );
        for (const url of new Set(urls)) {
          const res = await fetch(url, { headers: { 'accept-encoding': 'br, gzip' } });
          decoderBytes += Number(res.headers.get('content-length') ?? (await res.arrayBuffer()).byteLength);
        }
      }
      await page.reload();
      await usable(page);
    }
    return { first: times[0], again: times[1], decoderBytes };
  } finally {
    await browser.close();
  }
}

function jsBreakdown(byUrl) {
  return [...byUrl].filter(([p]) => p.endsWith('.js')).map(([p, n]) => `${p} ${kb(n)}`).join(', ');
}

const out = [];
const print = (line) => {
  out.push(line);
  console.log(line);
};

print(`PWA delivery bench against ${BASE} (${RUNS} runs each, median)`);
for (const identity of [false, true]) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await firstLoad({ throttled: false, identity }));
  const b = runs[0].bytes;
  print(
    `first load, ${identity ? 'compression refused (Accept-Encoding: identity)' : 'compressed'}: ` +
      `${kb(median(runs.map((r) => r.bytes.total)))} on the wire, JavaScript ${kb(median(runs.map((r) => r.bytes.script)))}`,
  );
  if (!identity) print(`  scripts: ${jsBreakdown(b.byUrl)}`);
}
const slow = [];
for (let i = 0; i < RUNS; i++) slow.push(await firstLoad({ throttled: true, identity: false }));
print(
  `usable sign-in screen at 4x CPU slowdown + slow 4G (562.5 ms, 1.47 Mbps): ` +
    `median ${Math.round(median(slow.map((r) => r.ms)))} ms (runs: ${slow.map((r) => Math.round(r.ms)).join(', ')} ms)`,
);
const unthrottled = [];
for (let i = 0; i < RUNS; i++) unthrottled.push(await firstLoad({ throttled: false, identity: false }));
print(`usable sign-in screen unthrottled: median ${Math.round(median(unthrottled.map((r) => r.ms)))} ms`);

const pc = await precache();
print(`precached on a wedge-only device: ${kb(pc.stored.total)} in ${pc.stored.count} entries; decoder entries: ${pc.stored.decoder.length}`);
print(`repeat visit (service worker + caches): ${kb(pc.reloadBytes)} on the wire, usable in ${pc.reloadMs} ms`);

if (Y4M) {
  const cam = await cameraDecode();
  print(`camera: badge read ${cam.first} ms after the first tap (decoder ${kb(cam.decoderBytes)} on the wire, wasm start), ${cam.again} ms the next time (from cache)`);
} else {
  print('camera: skipped (set BENCH_Y4M to a badge video)');
}

if (process.env.E2E_CREDS) {
  const { pickLineFigures } = await import('./picklines.mjs');
  const lines = await pickLineFigures();
  for (const [i, l] of lines.entries()) {
    print(`pick line ${i + 1} (${l.units} unit${l.units > 1 ? 's' : ''}, one-order cart): ${l.scans} scans, ${l.taps} taps, ${l.keys} hardware key${l.keys === 1 ? '' : 's'}`);
  }
} else {
  print('pick lines: skipped (set E2E_BASE_URL and E2E_CREDS)');
}
