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

const LABEL = '[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*';
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const PORT = '(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})';

/**
 * The plain form of a webhook URL, for the OpenAPI document: `http(s)://`, a DNS name whose last
 * label starts with a letter (or a dotted-quad IPv4 address), an optional port, then any visible
 * ASCII. Every URL of this form passes `checkWebhookUrl` where private addresses are allowed (a
 * property test says so). The check itself is WHATWG URL parsing and accepts more spellings
 * (upper-case schemes, IPv6 literals, `http:host`, …); where private addresses are refused,
 * hosts must also be public, which no pattern can say.
 */
export const WEBHOOK_URL_PATTERN =
  `^https?://(?:(?:${LABEL}\\.)*[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*|(?:${OCTET}\\.){3}${OCTET})` +
  `(?::${PORT})?(?:[/?#][!-~]*)?$`;

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
