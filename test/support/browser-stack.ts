import type { Browser, Page } from 'playwright-core';
import { caller, type Call } from './billing-fixtures.js';
import { launchBrowser, newPage } from './browser.js';
import { freePort, startTallyProcess, type TallyProcess } from './tally-process.js';
import {
  ADMIN_TOKEN,
  createMerchant,
  createTestDatabase,
  startWorker,
  testConfig,
  type RunningWorker,
} from './test-stack.js';

/**
 * What a browser test runs against: the compiled API as a child process (it serves dist/dashboard
 * through @fastify/static, which Jest cannot import in-process), a worker, a fresh database,
 * Temporal, Debian's Chromium, and one merchant with its secret key.
 */
export interface BrowserStack {
  baseUrl: string;
  key: string;
  merchantId: string;
  call: Call;
  browser: Browser;
  database: Awaited<ReturnType<typeof createTestDatabase>>;
  /** Everything the API process printed so far (its logs; silent unless `env` sets LOG_LEVEL). */
  apiOutput: () => string;
  /** A page in a fresh browser context, closed by stop(). */
  open: (options?: { width: number; height: number }) => Promise<{ page: Page; problems: string[] }>;
  stop: () => Promise<void>;
}

export async function startBrowserStack(
  options: { merchantName?: string; env?: Record<string, string> } = {},
): Promise<BrowserStack> {
  const browser = await launchBrowser();
  const database = await createTestDatabase();
  const config = testConfig(database.url);
  const port = await freePort();
  let api: TallyProcess | undefined;
  let worker: RunningWorker | undefined;
  const pages: Page[] = [];
  const stop = async () => {
    for (const page of pages) await page.context().close();
    await browser.close();
    await worker?.stop();
    await api?.kill();
    await database.drop();
  };
  try {
    api = await startTallyProcess('api', {
      PORT: String(port),
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: config.temporalAddress,
      TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE,
      TALLY_ADMIN_TOKEN: ADMIN_TOKEN,
      API_DOCS_PAGE: 'false',
      RATE_LIMIT_REQUESTS_PER_S: '0',
      RATE_LIMIT_EVENTS_PER_S: '0',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ...options.env,
    });
    worker = await startWorker(config);
    const baseUrl = `http://127.0.0.1:${port}`;
    const merchant = await createMerchant(baseUrl, options.merchantName ?? 'Browser test merchant');
    return {
      baseUrl,
      key: merchant.key,
      merchantId: merchant.id,
      call: caller(baseUrl, merchant.key),
      browser,
      database,
      apiOutput: () => api?.output() ?? '',
      open: async (size) => {
        const opened = await newPage(browser, size);
        pages.push(opened.page);
        return opened;
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
