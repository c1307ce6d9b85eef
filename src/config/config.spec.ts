import { ConfigError, loadConfig } from './config.js';

function configErrorFor(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('loadConfig', () => {
  it('applies the defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      TALLY_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: 3000,
      LOG_LEVEL: 'info',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tally',
      DATABASE_POOL_SIZE: 10,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'tally',
      TEMPORAL_UI_PORT: 8233,
      temporalAddress: '127.0.0.1:7233',
    });
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
    expect(config.TALLY_ADMIN_TOKEN).toBeUndefined();
    expect(config.TALLY_DEV_API_KEY).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({
      PORT: '',
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      TEMPORAL_NAMESPACE: '',
      TEMPORAL_TASK_QUEUE: '',
      LOG_LEVEL: '',
      TALLY_ADMIN_TOKEN: '',
      TALLY_DEV_API_KEY: '',
    });
    expect(config).toMatchObject({
      PORT: 3000,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tally',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'tally',
      LOG_LEVEL: 'info',
      temporalAddress: '127.0.0.1:7233',
    });
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
    expect(config.TALLY_ADMIN_TOKEN).toBeUndefined();
    expect(config.TALLY_DEV_API_KEY).toBeUndefined();
  });

  it('reads the values that are set', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://tally:pw@db:5432/tally',
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_NAMESPACE: 'billing',
      TEMPORAL_TASK_QUEUE: 'tally-prod',
      LOG_LEVEL: 'debug',
      TALLY_ADMIN_TOKEN: 'a-very-long-admin-token',
      TALLY_DEV_API_KEY: 'sk_test_abcdefghijklmnop1234',
    });
    expect(config).toMatchObject({
      PORT: 8080,
      DATABASE_URL: 'postgresql://tally:pw@db:5432/tally',
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      temporalAddress: 'temporal.internal:7233',
      TEMPORAL_NAMESPACE: 'billing',
      TEMPORAL_TASK_QUEUE: 'tally-prod',
      LOG_LEVEL: 'debug',
      TALLY_ADMIN_TOKEN: 'a-very-long-admin-token',
      TALLY_DEV_API_KEY: 'sk_test_abcdefghijklmnop1234',
    });
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root' })).not.toHaveProperty('PATH');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['DATABASE_URL', 'mysql://x'],
    ['TEMPORAL_ADDRESS', 'nohostport'],
    ['TEMPORAL_ADDRESS', 'http://temporal:7233'],
    ['LOG_LEVEL', 'loud'],
    ['TALLY_ENV', 'staging'],
    ['DATABASE_POOL_SIZE', '0'],
    ['TALLY_ADMIN_TOKEN', 'short'],
    ['TALLY_ADMIN_TOKEN', '123456789012345'],
    ['TALLY_DEV_API_KEY', 'sk_live_abcdefghijklmnop1234'],
    ['TALLY_DEV_API_KEY', 'pk_test_abcdefghijklmnop1234'],
    ['TALLY_DEV_API_KEY', 'sk_test_short'],
  ])('rejects %s=%s with a ConfigError naming it', (name, value) => {
    const error = configErrorFor({ [name]: value });
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain(name);
  });

  it('reports every bad variable in one error', () => {
    const bad = {
      PORT: 'abc',
      DATABASE_URL: 'mysql://x',
      TEMPORAL_ADDRESS: 'nohostport',
      LOG_LEVEL: 'loud',
      TALLY_ADMIN_TOKEN: 'short',
      TALLY_DEV_API_KEY: 'sk_live_nope',
    };
    const error = configErrorFor({ ...bad, TEMPORAL_NAMESPACE: 'fine', HOST: '0.0.0.0' });
    for (const name of Object.keys(bad)) expect(error.message).toContain(name);
    expect(error.message).not.toContain('TEMPORAL_NAMESPACE');
    expect(error.message).not.toContain('HOST');
  });

  it.each([
    ['TALLY_ADMIN_TOKEN', 'secret-but-short'.slice(0, 12)],
    ['TALLY_DEV_API_KEY', 'sk_test_leaky'],
    ['DATABASE_URL', 'mysql://user:hunter2@db/x'],
  ])('never prints the value of the secret setting %s', (name, value) => {
    const error = configErrorFor({ [name]: value });
    expect(error.message).toContain(name);
    expect(error.message).not.toContain(value);
  });

  it('prints the value of an ordinary bad setting', () => {
    expect(configErrorFor({ PORT: 'abc' }).message).toContain('"abc"');
  });

  it.each([
    ['TALLY_ADMIN_TOKEN', '1234567890123456'],
    ['TALLY_DEV_API_KEY', 'sk_test_1234567890abcdef'],
    ['PORT', '0'],
    ['PORT', '65535'],
    ['TEMPORAL_ADDRESS', 'localhost:7233'],
    ['DATABASE_URL', 'postgres://x'],
  ])('accepts the boundary value %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).not.toThrow();
  });

  describe('dashboard', () => {
    it('serves the dashboard and links workflows to a local Temporal UI by default', () => {
      const config = loadConfig({});
      expect(config.DASHBOARD).toBe(true);
      expect(config.TEMPORAL_UI_URL).toBe('http://localhost:8233');
    });

    it('turns the dashboard off and reads a Temporal UI URL without its trailing slash', () => {
      const config = loadConfig({ DASHBOARD: 'false', TEMPORAL_UI_URL: 'https://temporal.example.com/' });
      expect(config).toMatchObject({ DASHBOARD: false, TEMPORAL_UI_URL: 'https://temporal.example.com' });
    });

    it.each([
      ['DASHBOARD', 'yes'],
      ['TEMPORAL_UI_URL', 'localhost:8233'],
      ['TEMPORAL_UI_URL', 'ftp://temporal.example.com'],
    ])('rejects %s=%s', (name, value) => {
      expect(configErrorFor({ [name]: value }).message).toContain(name);
    });
  });

  describe('metrics and tracing', () => {
    it('serves the worker metrics on 9464, open, with tracing off by default', () => {
      const config = loadConfig({});
      expect(config.WORKER_METRICS_PORT).toBe(9464);
      expect(config.TALLY_METRICS_TOKEN).toBeUndefined();
      expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    });

    it('reads a metrics port (0 turns it off), a token and a collector URL', () => {
      const config = loadConfig({
        WORKER_METRICS_PORT: '0',
        TALLY_METRICS_TOKEN: 'metrics-token-0123456789',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      });
      expect(config).toMatchObject({
        WORKER_METRICS_PORT: 0,
        TALLY_METRICS_TOKEN: 'metrics-token-0123456789',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      });
    });

    it.each([
      ['WORKER_METRICS_PORT', 'off'],
      ['WORKER_METRICS_PORT', '70000'],
      ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
      ['OTEL_EXPORTER_OTLP_ENDPOINT', 'grpc://collector:4317'],
    ])('rejects %s=%s', (name, value) => {
      expect(configErrorFor({ [name]: value }).message).toContain(name);
    });

    it('never prints a short metrics token', () => {
      const error = configErrorFor({ TALLY_METRICS_TOKEN: 'tooshort' });
      expect(error.message).toContain('TALLY_METRICS_TOKEN');
      expect(error.message).not.toContain('tooshort');
    });
  });

  describe('WEBHOOK_SECRET_KEYS', () => {
    const keyA = Buffer.alloc(32, 1).toString('base64');
    const keyB = Buffer.alloc(32, 2).toString('base64');

    it('is unset by default outside production (a development key is kept under TALLY_DATA_DIR)', () => {
      expect(loadConfig({}).WEBHOOK_SECRET_KEYS).toBeUndefined();
      expect(loadConfig({ TALLY_ENV: 'test' }).WEBHOOK_SECRET_KEYS).toBeUndefined();
    });

    it('reads a keyring whose first key seals and whose every key opens', () => {
      const box = loadConfig({ WEBHOOK_SECRET_KEYS: `kid1:${keyA},kid0:${keyB}` }).WEBHOOK_SECRET_KEYS!;
      expect(box.currentKeyId).toBe('kid1');
      expect(box.keyIds).toEqual(['kid1', 'kid0']);
      const old = loadConfig({ WEBHOOK_SECRET_KEYS: `kid0:${keyB}` }).WEBHOOK_SECRET_KEYS!;
      expect(box.open(old.seal('whsec_x'))).toBe('whsec_x');
    });

    it('is required in production, in the same one message as other problems', () => {
      const error = configErrorFor({ TALLY_ENV: 'production', PORT: 'abc' });
      expect(error.message).toContain('WEBHOOK_SECRET_KEYS is required when TALLY_ENV=production');
      expect(error.message).toContain('PORT');
      expect(() => loadConfig({ TALLY_ENV: 'production', WEBHOOK_SECRET_KEYS: `k1:${keyA}` })).not.toThrow();
    });

    it.each([
      ['a key of 16 bytes', `kid1:${Buffer.alloc(16, 1).toString('base64')}`, 'entry 1 (kid1)'],
      ['a key that is not base64', `kid1:${'x'.repeat(44)}`, 'entry 1 (kid1)'],
      ['a repeated key id', `kid1:${keyA},kid1:${keyB}`, 'key id kid1 appears more than once'],
      ['a key id with a space', `kid 1:${keyA}`, 'the key id must be'],
      ['an entry without an id', keyA, 'entry 1 must be <key id>:<base64 key>'],
      ['a trailing comma', `kid1:${keyA},`, 'entry 2 must be'],
    ])('refuses %s with a clear message that shows no key', (_what, value, problem) => {
      const error = configErrorFor({ WEBHOOK_SECRET_KEYS: value });
      expect(error.message).toContain('WEBHOOK_SECRET_KEYS');
      expect(error.message).toContain(problem);
      expect(error.message).not.toContain(keyA);
      expect(error.message).not.toContain(keyB);
      expect(error.message).not.toContain(value);
    });
  });

  describe('PUBLIC_URL', () => {
    it('defaults to where the API listens, localhost for a wildcard host', () => {
      expect(loadConfig({}).publicUrl).toBe('http://127.0.0.1:3000');
      expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
      expect(loadConfig({ HOST: '::1' }).publicUrl).toBe('http://[::1]:3000');
    });

    it('reads a public URL without its trailing slashes', () => {
      expect(loadConfig({ PUBLIC_URL: 'https://billing.example.com//' }).publicUrl).toBe(
        'https://billing.example.com',
      );
      expect(loadConfig({ PUBLIC_URL: 'https://example.com/tally/' }).publicUrl).toBe(
        'https://example.com/tally',
      );
    });

    it.each(['billing.example.com', 'ftp://billing.example.com'])('rejects PUBLIC_URL=%s', (value) => {
      expect(configErrorFor({ PUBLIC_URL: value }).message).toContain('PUBLIC_URL');
    });
  });
});
