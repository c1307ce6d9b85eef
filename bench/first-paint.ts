import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

/** One page of the dashboard or portal to load, and the heading that shows it is ready to read. */
interface PageToPaint {
  name: string;
  path: string;
  /** The page's h1, by name; any h1 when omitted. */
  heading?: string;
  /** The secret key in sessionStorage before the app's scripts run: a signed-in page. */
  signedIn?: boolean;
}

export interface PaintFigures {
  name: string;
  /** First contentful paint (the browser's own `paint` entry), median and worst of the runs, ms. */
  fcpP50Ms: number;
  fcpMaxMs: number;
  /** Navigation start → the page's heading visible, median, ms. */
  readyP50Ms: number;
}

/** What the init script touches in the page (this file is compiled without the DOM's types). */
interface BrowserWindow {
  sessionStorage: { setItem: (key: string, value: string) => void };
}

function chromiumPath(): string {
  return (
    process.env.CHROMIUM_PATH ??
    execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim()
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function paintOnce(browser: Browser, baseUrl: string, key: string, target: PageToPaint) {
  // A new context each time: an empty cache, as a first visit.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    if (target.signedIn)
      await context.addInitScript(
        (apiKey) => (globalThis as unknown as BrowserWindow).sessionStorage.setItem('tally.apiKey', apiKey),
        key,
      );
    const page = await context.newPage();
    await page.goto(`${baseUrl}${target.path}`);
    await page
      .getByRole('heading', { level: 1, ...(target.heading && { name: target.heading }) })
      .first()
      .waitFor({ timeout: 30_000 });
    return await page.evaluate(() => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN;
      return { fcp, ready: performance.now() };
    });
  } finally {
    await context.close();
  }
}

/**
 * The dashboard's and the portal's first paint in Debian's Chromium against the compiled API (which
 * serves dist/dashboard): each page loaded `runs` times, each time in a fresh browser context.
 */
export async function benchFirstPaint(
  baseUrl: string,
  key: string,
  portalPath: string,
  runs = Number(process.env.BENCH_PAINT_RUNS ?? 10),
): Promise<PaintFigures[]> {
  const pages: PageToPaint[] = [
    { name: 'sign-in', path: '/dashboard/', heading: 'Sign in to Tally' },
    { name: 'usage', path: '/dashboard/usage', heading: 'Usage explorer', signedIn: true },
    { name: 'invoices', path: '/dashboard/invoices', heading: 'Invoices', signedIn: true },
    { name: 'portal', path: portalPath },
  ];
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox'],
  });
  try {
    // One unmeasured load warms the API's routes and the machine's file cache, not the browser's.
    await paintOnce(browser, baseUrl, key, pages[0]!);
    const figures: PaintFigures[] = [];
    for (const target of pages) {
      const samples = [];
      for (let run = 0; run < runs; run += 1) samples.push(await paintOnce(browser, baseUrl, key, target));
      const fcp = samples.map((sample) => sample.fcp);
      figures.push({
        name: target.name,
        fcpP50Ms: Math.round(median(fcp)),
        fcpMaxMs: Math.round(Math.max(...fcp)),
        readyP50Ms: Math.round(median(samples.map((sample) => sample.ready))),
      });
    }
    return figures;
  } finally {
    await browser.close();
  }
}
