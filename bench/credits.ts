import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { WorkerModule } from '../src/app.module.js';
import { loadConfig } from '../src/config/config.js';
import { creditWindowStart } from '../src/credits/domain/credit-window.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { PipelineEventBus } from '../src/pipeline/pipeline-events.js';
import { RollupRepository } from '../src/usage/rollup.repository.js';
import { prepareReports, type ReportSetup, seedEvents } from './reports.js';

const EVENTS_PER_ROUND = Number(process.env.BENCH_CREDIT_EVENTS ?? 200_000);

async function foldAll(rollup: RollupRepository): Promise<number> {
  const started = Date.now();
  let folded = 0;
  for (;;) {
    const batch = await rollup.rollUpBatch(5_000);
    folded += batch.folded;
    if (batch.folded === 0) break;
  }
  return Math.round(folded / ((Date.now() - started) / 1000));
}

async function grantEveryone(setup: ReportSetup): Promise<void> {
  for (const customer of setup.customers) {
    const response = await fetch(`${setup.baseUrl}/v1/billing/credits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${setup.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customer, amount: '1000000.00', currency: 'usd', paid: false }),
    });
    if (response.status !== 201) throw new Error(`granting credits answered ${response.status}`);
  }
}

/**
 * What drawing credits costs the rollup: the same events (100 customers, 3 metrics, last month)
 * folded by the rollup step without the credits listener, then with it, every customer prepaid
 * (each batch then prices each of its customers' month and draws). Answers both rates.
 */
export async function benchCreditDraws(
  baseUrl: string,
  merchant: { id: string; key: string },
  databaseUrl: string,
): Promise<{ plainEventsPerS: number; prepaidEventsPerS: number }> {
  const setup = await prepareReports(baseUrl, merchant);
  await grantEveryone(setup);
  // Last month: a whole credit window on any day, where this month's so far is minutes long on the 1st.
  const monthEnd = creditWindowStart(new Date());
  const monthStart = creditWindowStart(new Date(monthEnd.getTime() - 1));
  const plainSource = await new DataSource(
    dataSourceOptions({ DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: 4 }),
  ).initialize();
  const plain = new RollupRepository(plainSource, new PipelineEventBus());
  // The worker's own providers (credits subscribed to usage.folded); Temporal is never called here.
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(loadConfig({ DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: '127.0.0.1:1' })),
    { logger: false },
  );
  try {
    const prepaid = app.get(RollupRepository);
    let offset = 0;
    const round = async (rollup: RollupRepository) => {
      await seedEvents(databaseUrl, setup, EVENTS_PER_ROUND, monthStart, monthEnd, offset);
      offset += EVENTS_PER_ROUND;
      return foldAll(rollup);
    };
    // A warm-up round without draws: buckets exist for both measured rounds.
    await round(plain);
    const plainEventsPerS = await round(plain);
    const prepaidEventsPerS = await round(prepaid);
    return { plainEventsPerS, prepaidEventsPerS };
  } finally {
    await app.close();
    await plainSource.destroy();
  }
}
