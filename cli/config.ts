import { Tally, TallyApiError, TallyConnectionError } from '../sdk/src/index.js';

export const DEFAULT_URL = 'http://localhost:3000';

/** A failure the CLI reports in one line, with its exit code (2: usage or configuration). */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface GlobalOptions {
  apiKey?: string;
  url?: string;
  json?: boolean;
}

export interface CliConfig {
  apiKey: string;
  baseUrl: string;
}

/** The API key and URL: flags first, then TALLY_API_KEY / TALLY_URL, the URL defaulting to localhost:3000. */
export function resolveConfig(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): CliConfig {
  const apiKey = options.apiKey ?? env.TALLY_API_KEY;
  if (!apiKey || apiKey.trim() === '')
    throw new CliError('no API key: set TALLY_API_KEY or pass --api-key <key> (a sk_… or rk_… key)', 2);
  const baseUrl = (options.url ?? env.TALLY_URL ?? DEFAULT_URL).trim();
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new CliError(
      `the Tally URL "${baseUrl}" is not a URL (TALLY_URL or --url, e.g. ${DEFAULT_URL})`,
      2,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliError(`the Tally URL must be http(s), not "${baseUrl}"`, 2);
  return { apiKey: apiKey.trim(), baseUrl: baseUrl.replace(/\/+$/, '') };
}

export function connect(options: GlobalOptions): { tally: Tally; config: CliConfig } {
  const config = resolveConfig(options);
  return { tally: new Tally({ apiKey: config.apiKey, baseUrl: config.baseUrl }), config };
}

/** One line for an error: the API's code and message, a lost connection, or our own. */
export function describeError(
  error: unknown,
  baseUrl?: string,
): { message: string; exitCode: number; body: unknown } {
  if (error instanceof CliError)
    return { message: error.message, exitCode: error.exitCode, body: { message: error.message } };
  if (error instanceof TallyApiError) {
    const hint =
      error.status === 401
        ? ' (check TALLY_API_KEY / --api-key)'
        : error.status === 403
          ? ' (this key may not do that)'
          : '';
    const exitCode = error.status === 401 ? 2 : 1;
    return {
      message: `${error.code}: ${error.message}${hint} [HTTP ${error.status}${error.requestId ? `, request ${error.requestId}` : ''}]`,
      exitCode,
      body: {
        status: error.status,
        type: error.type,
        code: error.code,
        message: error.message,
        ...(error.param && { param: error.param }),
        ...(error.requestId && { request_id: error.requestId }),
      },
    };
  }
  if (error instanceof TallyConnectionError)
    return {
      message: `cannot reach Tally${baseUrl ? ` at ${baseUrl}` : ''}: ${error.message} (is TALLY_URL / --url right?)`,
      exitCode: 1,
      body: { code: error.code, message: error.message },
    };
  const message = error instanceof Error ? error.message : String(error);
  return { message, exitCode: 1, body: { message } };
}
