import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage } from '../support/browser';
import { ensureAppBuilt } from '../support/ensure-app-built';
import { axeViolations, paintedChartPixels, screenshot } from '../support/page-checks';
import { type SimApi, startSimApi } from '../support/sim-api';

// One browser, one API and one signed-in tab for the whole file: the flows build on each other
// (load, then chart, then train on what was loaded), as a user's session would.
let sim: SimApi;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  await ensureAppBuilt();
  [sim, browser] = await Promise.all([startSimApi(), launchChromium()]);
  ({ page, errors } = await openPage(browser));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sim?.close();
});

// Every flow ends with a clean console: no failed request, no uncaught exception, no React-style warning.
afterEach(() => {
  expect(errors.splice(0)).toEqual([]);
});

const goTo = async (title: string) => {
  await page.getByRole('link', { name: title }).click();
  await page
    .getByRole('heading', { level: 2, name: title === 'Workers' ? 'Workers and queues' : title })
    .waitFor();
};

describe('the dashboard in Chromium, against the API over the IB simulator', () => {
  it('asks for the token, keeps it out of the URL, and signs in from the keyboard alone', async () => {
    await page.goto(sim.dashboardUrl);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    // The check bites: an unlabelled field is reported.
    await page.evaluate(
      'document.querySelector("main").append(Object.assign(document.createElement("input"), { id: "probe" }))',
    );
    expect((await axeViolations(page)).map((v) => v.id)).toContain('label');
    await page.evaluate('document.getElementById("probe").remove()');
    await screenshot(page, 'sign-in');

    // Keyboard only: Tab to the token field (after the API URL), type, Enter submits.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.name')).toBe('token');
    await page.keyboard.type(sim.token);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();

    expect(page.url()).not.toContain(sim.token);
    expect(await page.evaluate('sessionStorage.getItem("ktrdr.token")')).toBe(sim.token);
    expect(await page.evaluate('localStorage.length')).toBe(0);

    // The nav links work from the keyboard too.
    await page.getByRole('link', { name: 'Data' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Data' }).waitFor();
  });

  it('starts a load, follows its progress to completed, and charts the bars it stored', async () => {
    await goTo('Data');
    await page.getByLabel('Symbol', { exact: true }).fill('MSFT');
    await page.getByRole('button', { name: 'Start load' }).click();
    const done = page.locator('.load-form .operation-status[data-status="completed"]');
    await done.waitFor({ timeout: 60_000 });
    expect(await done.locator('progress').getAttribute('value')).toBe('100');

    // The stored series is listed (marked simulated) and drawn.
    await page.getByRole('button', { name: 'Chart MSFT 1h' }).waitFor();
    const chart = page.locator('figure.chart');
    await expect.poll(async () => Number(await chart.getAttribute('data-bars'))).toBeGreaterThan(50);
    await expect.poll(() => paintedChartPixels(page), { timeout: 10_000 }).toBeGreaterThan(500);
    await expect.poll(() => page.getByText('SIMULATED data').count()).toBeGreaterThan(0);
    // lightweight-charts' attribution stays (its licence asks for it).
    expect(await page.locator('figure.chart a[href*="tradingview"]').count()).toBe(1);

    // A strategy's indicators: the moving average over the candles, oscillators in panes below
    // (lightweight-charts lays its panes out as table rows).
    const paneRows = () => page.locator('figure.chart table tr').count();
    const rowsBefore = await paneRows();
    await page.getByLabel('Strategy', { exact: true }).fill('neuro-fuzzy-sample');
    await page.getByRole('button', { name: 'Show indicators' }).click();
    const facts = page.locator('[data-indicator-panes]');
    await facts.waitFor();
    expect(Number(await facts.getAttribute('data-indicator-panes'))).toBeGreaterThan(0);
    expect(await facts.textContent()).toMatch(/sma\.value over the price; rsi, macd/);
    await expect.poll(paneRows).toBeGreaterThan(rowsBefore);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'data');
    // No strategy: the panes go again.
    await page.getByLabel('Strategy', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Show indicators' }).click();
    await expect.poll(paneRows).toBe(rowsBefore);
    expect(await facts.count()).toBe(0);
  }, 90_000);

  it('trains a small model and shows its curves, confusion matrix and signals on the chart', async () => {
    await goTo('Models');
    await page.getByLabel('Symbol', { exact: true }).fill('MSFT');
    await page.getByLabel('Epochs', { exact: true }).fill('4');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page
      .locator('.train-form .operation-status[data-status="completed"]')
      .waitFor({ timeout: 120_000 });
    const details = page.locator('.model-details[data-model^="neuro_fuzzy_sample/MSFT_1h"]');
    await details.waitFor();
    // Loss and accuracy, training and validation, one point per epoch.
    const curves = details.locator('polyline.curve');
    await expect.poll(() => curves.count()).toBe(4);
    expect((await curves.first().getAttribute('points'))?.split(' ')).toHaveLength(4);
    await details.locator('table.confusion').waitFor();
    await expect.poll(() => paintedChartPixels(page, '.model-details figure.chart')).toBeGreaterThan(500);
    await details.locator('[data-signals]').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'models');
  }, 150_000);

  it('backtests the trained model and shows its equity curve, metrics and trades', async () => {
    await goTo('Backtests');
    await page.getByLabel('Model', { exact: true }).selectOption({ index: 0 });
    await page.getByRole('button', { name: 'Start backtest' }).click();
    await page
      .locator('.backtest-form .operation-status[data-status="completed"]')
      .waitFor({ timeout: 60_000 });
    const details = page.locator('.backtest-details');
    await details.waitFor();
    expect(Number(await details.locator('figure.equity-chart').getAttribute('data-points'))).toBeGreaterThan(
      50,
    );
    await expect.poll(() => paintedChartPixels(page, 'figure.equity-chart')).toBeGreaterThan(500);
    const metrics = details.locator('table.metrics');
    expect(await metrics.locator('tbody tr').count()).toBeGreaterThan(10);
    expect(await metrics.locator('tr', { hasText: 'Total return' }).locator('td').allTextContents()).toEqual([
      expect.stringMatching(/%$/),
      expect.stringMatching(/%$/),
    ]);
    await expect
      .poll(() => paintedChartPixels(page, '.backtest-details figure.chart:not(.equity-chart)'))
      .toBeGreaterThan(500);
    // The price chart holds the backtest's every bar, its last included (a trade may close there).
    const priceChart = details.locator('figure.chart:not(.equity-chart)');
    await expect
      .poll(() => priceChart.getAttribute('data-bars'))
      .toBe(await details.getAttribute('data-bars'));
    // The new run is listed, and shown.
    const id = (await details.getAttribute('data-backtest')) as string;
    await page.locator(`tr[data-backtest-id="${id}"]`).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'backtests');
  }, 90_000);

  it('lists operations live, filters them, and cancels a running one', async () => {
    // A long load to cancel: ten years of 1-minute bars go through the simulator's IB pacing for
    // minutes. (Not a long training: early stopping may end it before the click.)
    await goTo('Data');
    await page.getByLabel('Symbol', { exact: true }).fill('MSFT');
    await page.getByLabel('Timeframe', { exact: true }).selectOption('1m');
    await page.getByLabel('Mode', { exact: true }).selectOption('full');
    await page.getByLabel('From', { exact: true }).fill('2015-01-01');
    await page.getByRole('button', { name: 'Start load' }).click();
    const started = page.locator('.load-form .operation-status');
    await started.waitFor();
    const id = (await started.getAttribute('data-operation-id')) as string;

    await goTo('Operations');
    await page.getByLabel('Kind', { exact: true }).selectOption('data_load');
    const row = page.locator(`tr[data-operation-id="${id}"]`);
    await row.waitFor();
    // The filter reaches the server: the trainings leave the list.
    await expect.poll(() => page.locator('tr[data-operation-id^="op_training"]').count()).toBe(0);
    await row.getByRole('button', { name: `Cancel ${id}` }).click();
    await page.locator(`tr[data-operation-id="${id}"][data-status="cancelled"]`).waitFor({ timeout: 30_000 });

    await page.getByLabel('Kind', { exact: true }).selectOption('');
    await page.getByLabel('Status', { exact: true }).selectOption('completed');
    await expect.poll(() => page.locator('tr[data-operation-id^="op_training"]').count()).toBeGreaterThan(0);
    expect(await page.locator('tr[data-status="cancelled"]').count()).toBe(0);
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await page.locator(`tr[data-operation-id="${id}"]`).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  }, 90_000);

  it('shows a failed operation with its error code and message', async () => {
    // IB has no such symbol: the load fails, and the list says why.
    await goTo('Data');
    await page.getByLabel('Symbol', { exact: true }).fill('NOSUCHSYM');
    await page.getByRole('button', { name: 'Start load' }).click();
    const failed = page.locator('.load-form .operation-status[data-status="failed"]');
    await failed.waitFor({ timeout: 60_000 });
    expect(await failed.locator('.error-code').textContent()).toMatch(/\S/);
    await goTo('Operations');
    await page.getByLabel('Status', { exact: true }).selectOption('failed');
    const row = page.locator('tr[data-status="failed"]').first();
    await row.waitFor();
    expect(await row.locator('[role="alert"]').textContent()).toMatch(/NOSUCHSYM/);
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await expect.poll(() => page.locator('tr[data-status="cancelled"]').count()).toBe(1);
    await screenshot(page, 'operations');
  }, 90_000);

  it('shows workers and queues, saying when the API runs without a queue', async () => {
    await goTo('Workers');
    await page.getByText('No queue is configured').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'workers');
  });
});
