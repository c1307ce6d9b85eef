import ipaddr from 'ipaddr.js';

/**
 * True when `address` (an IPv4 or IPv6 literal) is an ordinary public unicast address. Loopback,
 * private, link-local, unique-local, carrier-grade NAT, multicast, unspecified, reserved and
 * documentation ranges are not, nor are IPv4 addresses wrapped in IPv6 (mapped ones are judged
 * by their IPv4 address; the deprecated IPv4-compatible form is always refused).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    // The deprecated IPv4-compatible form (::a.b.c.d, ::/96) is never a public destination.
    if (v6.parts.slice(0, 6).every((part) => part === 0)) return false;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

export type WebhookUrlProblem = 'url_invalid' | 'url_not_allowed';

export interface ParsedWebhookUrl {
  url: URL;
  /** The host without IPv6 brackets. */
  hostname: string;
  /** Set when the host is an IP literal (no DNS lookup happens for it). */
  literalAddress: string | null;
}

/**
 * Checks a webhook URL's form: absolute http(s), a host, no credentials in it. Where private
 * addresses are refused, an IP-literal host must be public; names are checked when resolved.
 */
export function checkWebhookUrl(
  text: string,
  allowPrivate: boolean,
): { ok: true; parsed: ParsedWebhookUrl } | { ok: false; problem: WebhookUrlProblem } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: 'url_invalid' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, problem: 'url_invalid' };
  if (url.hostname === '' || url.username !== '' || url.password !== '') {
    return { ok: false, problem: 'url_invalid' };
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literalAddress = ipaddr.isValid(hostname) ? hostname : null;
  if (!allowPrivate && literalAddress !== null && !isPublicAddress(literalAddress)) {
    return { ok: false, problem: 'url_not_allowed' };
  }
  return { ok: true, parsed: { url, hostname, literalAddress } };
}
