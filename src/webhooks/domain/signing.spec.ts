import { Webhook } from 'standardwebhooks';
import { maskSecret, newWebhookSecret, signWebhook, type SignedHeaders } from './signing.js';

const body = JSON.stringify({ type: 'billing.charge.failed', data: { attempt: 2, amount: '12.50' } });
const messageId = 'msg_01J0000000000000000000000';

function verify(secret: string, headers: SignedHeaders, payload: string = body): unknown {
  return new Webhook(secret).verify(payload, { ...headers });
}

describe('newWebhookSecret', () => {
  it('is whsec_ followed by the base64 of 32 bytes', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64');
    expect(bytes).toHaveLength(32);
    expect(bytes.toString('base64')).toBe(secret.slice('whsec_'.length));
  });

  it('is different every time', () => {
    const secrets = new Set(Array.from({ length: 50 }, () => newWebhookSecret()));
    expect(secrets.size).toBe(50);
  });
});

describe('signWebhook', () => {
  it('signs with one secret so that a Standard Webhooks receiver verifies it', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook([secret], messageId, new Date(), body);
    expect(headers['webhook-id']).toBe(messageId);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verify(secret, headers)).toEqual(JSON.parse(body));
  });

  it('writes the timestamp in whole seconds', () => {
    const sentAt = new Date('2026-03-01T10:15:30.789Z');
    const headers = signWebhook([newWebhookSecret()], messageId, sentAt, body);
    expect(headers['webhook-timestamp']).toBe(String(Date.UTC(2026, 2, 1, 10, 15, 30) / 1000));
  });

  it('is deterministic for the same secret, id, second and body', () => {
    const secret = newWebhookSecret();
    const a = signWebhook([secret], messageId, new Date('2026-03-01T10:15:30.100Z'), body);
    const b = signWebhook([secret], messageId, new Date('2026-03-01T10:15:30.900Z'), body);
    expect(a).toEqual(b);
  });

  it('fails verification with another secret', () => {
    const headers = signWebhook([newWebhookSecret()], messageId, new Date(), body);
    expect(() => verify(newWebhookSecret(), headers)).toThrow();
  });

  it('fails verification when the body is tampered with', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook([secret], messageId, new Date(), body);
    const tampered = body.replace('12.50', '1250');
    expect(tampered).not.toBe(body);
    expect(() => verify(secret, headers, tampered)).toThrow();
  });

  it('fails verification when the message id or the timestamp is changed', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook([secret], messageId, new Date(), body);
    expect(() => verify(secret, { ...headers, 'webhook-id': `${messageId}X` })).toThrow();
    const earlier = String(Number(headers['webhook-timestamp']) - 1);
    expect(() => verify(secret, { ...headers, 'webhook-timestamp': earlier })).toThrow();
  });

  it('after a rotation, signs with both secrets so that either alone verifies', () => {
    const oldSecret = newWebhookSecret();
    const newSecret = newWebhookSecret();
    const headers = signWebhook([oldSecret, newSecret], messageId, new Date(), body);
    const signatures = headers['webhook-signature'].split(' ');
    expect(signatures).toHaveLength(2);
    expect(signatures[0]).not.toBe(signatures[1]);
    expect(verify(oldSecret, headers)).toEqual(JSON.parse(body));
    expect(verify(newSecret, headers)).toEqual(JSON.parse(body));
    expect(() => verify(newWebhookSecret(), headers)).toThrow();
  });

  it('puts each secret’s signature in the order of the secrets', () => {
    const [first, second] = [newWebhookSecret(), newWebhookSecret()];
    const sentAt = new Date();
    const both = signWebhook([first, second], messageId, sentAt, body)['webhook-signature'];
    const alone = [first, second].map(
      (secret) => signWebhook([secret], messageId, sentAt, body)['webhook-signature'],
    );
    expect(both).toBe(alone.join(' '));
  });

  it('refuses to sign without a secret', () => {
    expect(() => signWebhook([], messageId, new Date(), body)).toThrow('at least one secret');
  });
});

describe('maskSecret', () => {
  it('shows only the last four characters', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const masked = maskSecret(secret);
    expect(masked).toBe('whsec_…LaSw');
    expect(masked).not.toContain('MfKQ9r8GKYqrTwjUPD8ILPZIo2La');
  });

  it('never reveals more than four characters of a generated secret', () => {
    const secret = newWebhookSecret();
    const masked = maskSecret(secret);
    expect(masked).toBe(`whsec_…${secret.slice(-4)}`);
    expect(masked.length).toBe('whsec_…'.length + 4);
  });
});
