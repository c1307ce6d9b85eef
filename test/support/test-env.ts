/** What the global setup prepares once per run, handed to test files through the environment. */
const TEST_ENV = {
  temporalAddress: 'TALLY_TEST_TEMPORAL_ADDRESS',
  workflowBundle: 'TALLY_TEST_WORKFLOW_BUNDLE',
  templateDatabase: 'TALLY_TEST_TEMPLATE_DATABASE',
} as const;

export function testEnv(name: keyof typeof TEST_ENV): string {
  const value = process.env[TEST_ENV[name]];
  if (!value)
    throw new Error(
      `${TEST_ENV[name]} is not set: run the tests with \`npm test\` (its global setup sets it).`,
    );
  return value;
}

/** A database on the PostgreSQL server the tests use (DATABASE_URL's server). */
export function serverUrl(database: string): string {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tally');
  url.pathname = `/${database}`;
  return url.toString();
}
