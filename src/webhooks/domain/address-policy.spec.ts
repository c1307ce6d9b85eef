import fc from 'fast-check';
import { checkWebhookUrl, isPublicAddress, WEBHOOK_URL_PATTERN } from './address-policy.js';

describe('isPublicAddress', () => {
  it.each([
    ['127.0.0.1', 'IPv4 loopback'],
    ['127.255.0.9', 'IPv4 loopback (the whole /8)'],
    ['10.0.0.1', 'private 10/8'],
    ['10.255.255.254', 'private 10/8'],
    ['172.16.0.1', 'private 172.16/12'],
    ['172.31.255.255', 'private 172.16/12'],
    ['192.168.1.1', 'private 192.168/16'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'IPv4 multicast'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.1', 'documentation'],
    ['203.0.113.1', 'documentation'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fe80::1', 'IPv6 link-local'],
    ['fc00::1', 'unique local'],
    ['fd12:3456::1', 'unique local'],
    ['ff02::1', 'IPv6 multicast'],
    ['2001:db8::1', 'IPv6 documentation'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback in hex'],
    ['::ffff:169.254.169.254', 'IPv4-mapped link-local'],
    ['::7f00:1', 'deprecated IPv4-compatible loopback'],
    ['::808:808', 'deprecated IPv4-compatible form, even of a public address'],
  ])('%s (%s) is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    ['8.8.8.8'],
    ['1.1.1.1'],
    ['172.32.0.1'],
    ['100.128.0.1'],
    ['2606:4700:4700::1111'],
    ['2001:4860:4860::8888'],
    ['::ffff:8.8.8.8'],
  ])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    [''],
    ['not-an-ip'],
    ['example.com'],
    ['256.1.1.1'],
    ['1.2.3.4.5'],
    ['::g'],
    ['[::1]'],
    ['8.8.8.8/32'],
  ])('garbage %p is not public', (text) => {
    expect(isPublicAddress(text)).toBe(false);
  });
});

describe('checkWebhookUrl', () => {
  describe.each([false, true])('with allowPrivate=%p', (allowPrivate) => {
    it.each([
      ['ftp://example.com/hook'],
      ['file:///etc/passwd'],
      ['javascript:alert(1)'],
      ['/hook'],
      ['hook'],
      ['example.com/hook'],
      [''],
      ['https://u:p@example.com/hook'],
      ['https://u@example.com/hook'],
      ['https://:p@example.com/hook'],
    ])('refuses %p as url_invalid', (text) => {
      expect(checkWebhookUrl(text, allowPrivate)).toEqual({ ok: false, problem: 'url_invalid' });
    });

    it('accepts https://example.com/hook with no literal address', () => {
      const result = checkWebhookUrl('https://example.com/hook', allowPrivate);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.parsed.hostname).toBe('example.com');
      expect(result.parsed.literalAddress).toBeNull();
      expect(result.parsed.url.href).toBe('https://example.com/hook');
    });

    it('accepts a public IPv6 literal, without brackets in hostname and literalAddress', () => {
      const result = checkWebhookUrl('http://[2606:4700:4700::1111]:8443/a', allowPrivate);
      expect(result).toMatchObject({
        ok: true,
        parsed: { hostname: '2606:4700:4700::1111', literalAddress: '2606:4700:4700::1111' },
      });
    });
  });

  it.each([
    ['http://127.0.0.1/x', '127.0.0.1'],
    ['http://[::1]/', '::1'],
    ['https://10.0.0.5:8443/hook', '10.0.0.5'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://2130706433/', '127.0.0.1'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
  ])(
    'refuses %s as url_not_allowed when private addresses are refused, accepts it otherwise',
    (text, literal) => {
      expect(checkWebhookUrl(text, false)).toEqual({ ok: false, problem: 'url_not_allowed' });
      expect(checkWebhookUrl(text, true)).toMatchObject({
        ok: true,
        parsed: { hostname: literal, literalAddress: literal },
      });
    },
  );

  it('leaves names to be checked when resolved, even names like localhost', () => {
    expect(checkWebhookUrl('http://localhost:3000/hook', false)).toMatchObject({
      ok: true,
      parsed: { hostname: 'localhost', literalAddress: null },
    });
  });

  it('accepts a public IPv4 literal when private addresses are refused', () => {
    expect(checkWebhookUrl('https://8.8.8.8/hook', false)).toMatchObject({
      ok: true,
      parsed: { hostname: '8.8.8.8', literalAddress: '8.8.8.8' },
    });
  });
});

describe('WEBHOOK_URL_PATTERN (the form the OpenAPI document states)', () => {
  const pattern = new RegExp(WEBHOOK_URL_PATTERN);

  it('is a form checkWebhookUrl accepts: every URL matching it passes where private addresses are allowed', () => {
    fc.assert(
      fc.property(fc.stringMatching(pattern, { size: 'small' }), (text) => {
        expect(checkWebhookUrl(text, true).ok).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    'https://example.com/webhooks/tally',
    'http://localhost:3000/hook',
    'https://a-b.example.co.uk:8443/h?x=1#y',
    'http://10.0.0.5/hook',
  ])('matches %s', (text) => {
    expect(pattern.test(text)).toBe(true);
  });

  it.each([
    'ftp://example.com/',
    'http://a.1/',
    'http://xn--a.com/',
    'http://example.com:65536/',
    'http://u:p@example.com/',
  ])('does not match %s', (text) => {
    expect(pattern.test(text)).toBe(false);
  });
});
