import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup as dnsLookupAll } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { Injectable } from '@nestjs/common';
import { ValidationError } from '../common/errors/tally-error.js';
import { TallyConfigService } from '../config/config.module.js';
import { checkWebhookUrl, isPublicAddress } from './domain/address-policy.js';

/**
 * Which URLs Tally will call. Outside development and test (`TALLY_ENV=production`) a URL that
 * names or resolves to a loopback, private or link-local address is refused, at registration and
 * again at every delivery (through `lookup`, so a DNS answer that changed meanwhile is caught).
 */
@Injectable()
export class UrlPolicy {
  readonly allowPrivate: boolean;

  constructor(config: TallyConfigService) {
    this.allowPrivate = config.values.TALLY_ENV !== 'production';
  }

  /** Validates a URL given to the API; throws a 400 naming the problem. */
  async assertRegistrable(text: string, param = 'url'): Promise<void> {
    const checked = checkWebhookUrl(text, this.allowPrivate);
    if (!checked.ok) throw this.refusal(checked.problem, text, param);
    if (this.allowPrivate || checked.parsed.literalAddress !== null) return;
    let addresses: LookupAddress[];
    try {
      addresses = await dnsLookupAll(checked.parsed.hostname, { all: true });
    } catch {
      throw new ValidationError(
        'url_unresolvable',
        `The host of '${text}' does not resolve; webhook URLs must name a reachable public host.`,
        param,
      );
    }
    if (addresses.some(({ address }) => !isPublicAddress(address))) {
      throw this.refusal('url_not_allowed', text, param);
    }
  }

  /** Why Tally will not call `text` now, or null when it may. Names are checked by `lookup`. */
  deliveryRefusal(text: string): string | null {
    const checked = checkWebhookUrl(text, this.allowPrivate);
    if (checked.ok) return null;
    return checked.problem === 'url_invalid'
      ? 'the URL is not a valid http(s) URL'
      : 'the URL names a private, loopback or link-local address';
  }

  /** A DNS lookup for the HTTP client that fails for names resolving to non-public addresses. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = this.allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
      if (refused) {
        const denied = Object.assign(
          new Error(`${hostname} resolves to ${refused.address}, which is not a public address`),
          { code: 'EADDRNOTALLOWED' },
        );
        return callback(denied, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      return callback(null, first.address, first.family);
    });
  };

  private refusal(problem: 'url_invalid' | 'url_not_allowed', text: string, param: string): ValidationError {
    return problem === 'url_invalid'
      ? new ValidationError(
          'url_invalid',
          `'${text}' is not an absolute http(s) URL without credentials.`,
          param,
        )
      : new ValidationError(
          'url_not_allowed',
          `'${text}' points at a loopback, private or link-local address; webhooks go only to public hosts.`,
          param,
        );
  }
}
