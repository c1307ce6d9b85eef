import { metricsRefusal } from './metrics-access.js';

describe('metricsRefusal', () => {
  const token = 'metrics-token-0123456789';

  it('lets everyone in when no token is configured', () => {
    expect(metricsRefusal(undefined, undefined)).toBeNull();
    expect(metricsRefusal(undefined, 'Bearer anything')).toBeNull();
  });

  it('takes the configured token as a bearer token, in any case of "Bearer"', () => {
    expect(metricsRefusal(token, `Bearer ${token}`)).toBeNull();
    expect(metricsRefusal(token, `bearer ${token}`)).toBeNull();
  });

  it('tells a missing token from a wrong one', () => {
    expect(metricsRefusal(token, undefined)).toBe('metrics_token_missing');
    expect(metricsRefusal(token, '')).toBe('metrics_token_missing');
    expect(metricsRefusal(token, 'Bearer nope')).toBe('metrics_token_invalid');
    expect(metricsRefusal(token, `Basic ${token}`)).toBe('metrics_token_invalid');
    expect(metricsRefusal(token, `Bearer ${token}x`)).toBe('metrics_token_invalid');
  });
});
