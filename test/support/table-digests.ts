import type { Client } from 'pg';

/** Tables whose rows change without any request's doing (counters a read bumps too). */
const VOLATILE = new Set(['rate_limit_windows']);

/**
 * A digest of every row of every table, by table: two snapshots that are equal mean nothing was
 * written in between (the status code alone cannot say that).
 */
export async function tableDigests(sql: Client): Promise<Record<string, string>> {
  const tables = await sql.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  const digests: Record<string, string> = {};
  for (const { tablename } of tables.rows) {
    if (VOLATILE.has(tablename)) continue;
    const result = await sql.query<{ digest: string }>(
      `SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM "${tablename}" t`,
    );
    digests[tablename] = result.rows[0]!.digest;
  }
  return digests;
}
