import { canonicalContent, deriveReference, withReference } from './reference.js';

describe('derived references', () => {
  const event = { customer: 'cus_1', event_name: 'api_calls', value: '1.5', metadata: { b: '2', a: '1' } };

  it('is imp_ + the sha256 of the canonical content, the same for any key order', () => {
    const reference = deriveReference(event);
    expect(reference).toMatch(/^imp_[0-9a-f]{64}$/);
    expect(
      deriveReference({
        metadata: { a: '1', b: '2' },
        value: '1.5',
        event_name: 'api_calls',
        customer: 'cus_1',
      }),
    ).toBe(reference);
  });

  it('ignores reference, null and absent fields, and writes decimals as strings', () => {
    expect(canonicalContent({ ...event, value: 1.5, reference: 'x', timestamp: null })).toBe(
      canonicalContent(event),
    );
    expect(canonicalContent(event)).toBe(
      '{"customer":"cus_1","event_name":"api_calls","metadata":{"a":"1","b":"2"},"value":"1.5"}',
    );
  });

  it('differs when any field differs', () => {
    expect(deriveReference({ ...event, value: '1.6' })).not.toBe(deriveReference(event));
    expect(deriveReference({ ...event, timestamp: '2026-01-01T00:00:00Z' })).not.toBe(deriveReference(event));
    expect(deriveReference({ ...event, metadata: { a: '1' } })).not.toBe(deriveReference(event));
  });

  it('keeps a reference the event has, and derives one for an empty or missing reference', () => {
    expect(withReference({ ...event, reference: 'mine' }).reference).toBe('mine');
    expect(withReference({ ...event, reference: '' }).reference).toBe(deriveReference(event));
    expect(withReference(event)).toEqual({ ...event, reference: deriveReference(event) });
  });
});
