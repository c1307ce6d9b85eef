import { TallyApiError, TallyConnectionError } from '../sdk/src/index.js';
import { type CliError, describeError, resolveConfig } from './config.js';

describe('CLI configuration', () => {
  it('takes flags first, then TALLY_API_KEY / TALLY_URL, the URL defaulting to localhost:3000', () => {
    expect(resolveConfig({}, { TALLY_API_KEY: 'sk_env' })).toEqual({
      apiKey: 'sk_env',
      baseUrl: 'http://localhost:3000',
    });
    expect(
      resolveConfig(
        { apiKey: 'sk_flag', url: 'https://tally.example/' },
        { TALLY_API_KEY: 'sk_env', TALLY_URL: 'http://x' },
      ),
    ).toEqual({ apiKey: 'sk_flag', baseUrl: 'https://tally.example' });
  });

  it('refuses a missing key or a bad URL with exit code 2', () => {
    const fails = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return [(error as CliError).exitCode, (error as Error).message];
      }
      return undefined;
    };
    expect(fails(() => resolveConfig({}, {}))).toEqual([2, expect.stringContaining('TALLY_API_KEY')]);
    expect(fails(() => resolveConfig({ apiKey: 'k', url: 'nope' }, {}))).toEqual([
      2,
      expect.stringContaining('not a URL'),
    ]);
    expect(fails(() => resolveConfig({ apiKey: 'k', url: 'ftp://x' }, {}))).toEqual([
      2,
      expect.stringContaining('http(s)'),
    ]);
  });

  it('describes API errors by code and request id, a bad key as a configuration error', () => {
    const missing = new TallyApiError(
      404,
      { type: 'not_found_error', code: 'resource_missing', message: 'No such customer.' },
      'req_1',
    );
    expect(describeError(missing)).toMatchObject({
      exitCode: 1,
      message: 'resource_missing: No such customer. [HTTP 404, request req_1]',
      body: { status: 404, code: 'resource_missing', request_id: 'req_1' },
    });
    const unauthorized = new TallyApiError(
      401,
      { type: 'authentication_error', code: 'api_key_invalid', message: 'Bad key.' },
      undefined,
    );
    expect(describeError(unauthorized)).toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('TALLY_API_KEY'),
    });
    expect(describeError(new TallyConnectionError('ECONNREFUSED'), 'http://x').message).toMatch(
      /cannot reach Tally at http:\/\/x/,
    );
  });
});
