import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../../src/config/project-root.js';

/**
 * Debian's Chromium (`apt-get install -y chromium`) driven by playwright-core: Playwright's own
 * browser download cannot run here. Headless, without the sandbox (the tests run as root).
 */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'Chromium is missing: the browser tests need it. Install it: apt-get install -y chromium',
    );
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'] });
}

/** A page in a fresh context (its own sessionStorage), failing the test on any page error. */
export async function newPage(
  browser: Browser,
  options: { width?: number; height?: number } = {},
): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return { page, problems };
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * axe-core's violations on the page as it is now, one line each (empty when there are none).
 * axe is evaluated through the DevTools protocol rather than page.addScriptTag, whose inline
 * <script> the dashboard's Content-Security-Policy (script-src 'self') rightly blocks; the tests
 * keep that policy on (no bypassCSP), so they also prove the app runs under it.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(readFileSync(axePath, 'utf8'));
  const violations: AxeViolation[] = await page.evaluate(
    async () => (await (globalThis as any).axe.run()).violations,
  );
  return violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes
        .map((node) => JSON.stringify(node.target))
        .join(', ')}`,
  );
}

/**
 * The data of each series of the chart in `selector`, read from its ECharts instance
 * (`echarts.getInstanceByDom(el).getOption()`); null while there is no chart there.
 */
export function chartData(page: Page, selector = '.chart'): Promise<unknown[][] | null> {
  return page.evaluate((target) => {
    const browser = globalThis as any;
    const element = browser.document.querySelector(target);
    const chart = element ? browser.echarts?.getInstanceByDom(element) : undefined;
    return chart ? chart.getOption().series.map((series: any) => series.data) : null;
  }, selector);
}

/** No horizontal scroll: the page is no wider than the viewport. */
export function fitsViewport(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const browser = globalThis as any;
    return browser.document.documentElement.scrollWidth <= browser.innerWidth;
  });
}

/** Saves the page under docs/screenshots/ (the README shows them). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(projectRoot(), 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, name), fullPage: true });
}

/** Signs in through the form with a secret key and waits for the signed-in app. */
export async function signIn(page: Page, baseUrl: string, key: string): Promise<void> {
  await page.goto(`${baseUrl}/dashboard/`);
  await page.getByLabel('Secret key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
