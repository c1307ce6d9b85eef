import { TallyApiError, TallyConnectionError } from '../../sdk/src/index.js';
import { judgeBatchError } from './import.js';

const apiError = (status: number, code: string) =>
  new TallyApiError(status, { type: 'x', code, message: `${code} happened` }, undefined);

describe('judgeBatchError', () => {
  it('rejects the lines of a batch refused for its content, and goes on', () => {
    expect(judgeBatchError(apiError(413, 'payload_too_large'))).toEqual({
      fatal: false,
      code: 'payload_too_large',
      message: 'payload_too_large happened',
    });
  });

  it('stops the import when the API cannot take anything now (key, limits, outage, no connection)', () => {
    for (const error of [
      apiError(401, 'api_key_invalid'),
      apiError(403, 'permission_denied'),
      apiError(429, 'rate_limited'),
      apiError(503, 'service_unavailable'),
      new TallyConnectionError('no answer'),
    ])
      expect(judgeBatchError(error).fatal).toBe(true);
  });
});
