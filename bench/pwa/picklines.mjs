// Scans and taps per pick line, on a phone-sized page driven as a PDA would
// be: wedge scans, the keypad's hardware Enter, pointer taps counted. One
// order of three lines on one cart: one unit, one unit, three units. The
// first line binds the order's tote (a scan); a later one-unit line goes into
// it without one. Needs E2E_BASE_URL and E2E_CREDS (bench/pwa/run.sh sets them).
import { creds, flowStep, gql, makeCode, must, openPhone, passwordToken, randomUUID, settle, signInByWedge, wedgeScan } from '../../tests/e2e/helpers.mjs';

const ERR = '... on UserError { code message field }';

async function singleOrderTask(planner) {
  const data = await gql(`query { stock(first: 200, status: "AVAILABLE") { edges { node { available item { sku tracking expiryTracked gtins } } } } }`, {}, planner);
  const skus = [];
  for (const { node } of data.stock.edges) {
    const it = node.item;
    if (node.available < 6 || it.tracking !== 'NONE' || it.expiryTracked || !it.gtins.length || skus.includes(it.sku)) continue;
    skus.push(it.sku);
    if (skus.length === 3) break;
  }
  const customer = (await gql(`query { customers(first: 1) { edges { node { code } } } }`, {}, planner)).customers.edges[0].node.code;
  const lines = skus.map((itemSku, i) => ({ itemSku, quantity: i === 2 ? 3 : 1 }));
  const order = await must(
    `mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { __typename ... on SalesOrderSuccess { order { id } } ${ERR} } }`,
    { input: { number: `BENCH-${randomUUID().slice(0, 8)}`, customerCode: customer, lines, idempotencyKey: randomUUID() } },
    planner,
    'createSalesOrder',
    'SalesOrderSuccess',
  );
  const wave = await must(
    `mutation($input: WavePlanInput!) { createWave(input: $input) { __typename ... on CreateWaveSuccess { wave { id } } ${ERR} } }`,
    { input: { orderIds: [order.order.id], cartLimits: { totes: 2 }, idempotencyKey: randomUUID() } },
    planner,
    'createWave',
    'CreateWaveSuccess',
  );
  const released = await must(
    `mutation($input: ReleaseWaveInput!) { releaseWave(input: $input) { __typename ... on ReleaseWaveSuccess { pickTaskIds } ${ERR} } }`,
    { input: { waveId: wave.wave.id, idempotencyKey: randomUUID() } },
    planner,
    'releaseWave',
    'ReleaseWaveSuccess',
  );
  return released.pickTaskIds[0];
}

/** [{ units, scans, taps, keys }] per line, in the order walked. */
export async function pickLineFigures() {
  const planner = await passwordToken(creds('planner'));
  const picker = creds('picker');
  const pickerApi = await passwordToken(picker);
  const taskId = await singleOrderTask(planner);
  const tote = makeCode('TOTE', `BN${Date.now() % 1_000_000}`);
  const { browser, page } = await openPhone();
  try {
    await signInByWedge(page, picker);
    const taps = { count: 0 };
    await page.exposeFunction('__tap', () => {
      taps.count += 1;
    });
    const card = page.locator(`[data-testid="task-card"][data-task-id="${taskId}"]`);
    await card.waitFor({ timeout: 60_000 });
    await card.click();
    await page.evaluate(() => document.addEventListener('pointerdown', () => window.__tap(), true));
    const progress = async () =>
      (await gql(`query($id: ID!) { pickTaskProgress(taskId: $id) { ... on PickProgress { step linesDone next { lineId binCode gtin quantity } } } }`, { id: taskId }, pickerApi)).pickTaskProgress;

    const lines = [];
    let line = null;
    for (let guard = 0; guard < 30; guard++) {
      const step = await flowStep(page);
      if (step === 'done') break;
      const p = await progress();
      if (!line || line.lineId !== p.next.lineId) {
        line = { lineId: p.next.lineId, units: p.next.quantity, scans: 0, taps: 0, keys: 0, tapsBefore: taps.count };
        lines.push(line);
      }
      const before = await page.getByTestId('flow-progress').textContent();
      if (step === 'qty') {
        await page.keyboard.press('Enter'); // the PDA's hardware key
        line.keys += 1;
        await page.locator('[data-testid="scan-prompt"][data-thing="tote"]').waitFor({ timeout: 60_000 });
        continue;
      }
      await settle(page);
      await wedgeScan(page, step === 'bin' ? p.next.binCode : step === 'item' ? p.next.gtin : tote);
      line.scans += 1;
      await page.waitForFunction(
        ([thing, text]) => !document.querySelector(`[data-testid="scan-prompt"][data-thing="${thing}"]`) || document.querySelector('[data-testid="flow-progress"]')?.textContent !== text,
        [step, before],
        { timeout: 60_000 },
      );
      line.taps = taps.count - line.tapsBefore;
    }
    return lines.map(({ units, scans, taps: t, keys }) => ({ units, scans, taps: t, keys }));
  } finally {
    await browser.close();
  }
}
