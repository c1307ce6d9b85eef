import { portalWindow } from './portal-window.js';

describe('portalWindow', () => {
  const now = new Date('2026-03-15T12:30:00Z');

  it('is the current UTC month so far without a subscription period, in daily steps', () => {
    expect(portalWindow(null, now)).toEqual({
      period: 'calendar_month',
      start: new Date('2026-03-01T00:00:00Z'),
      end: now,
      windowSize: 'day',
    });
  });

  it('is the subscription period up to now, hourly when it is two days or less', () => {
    const start = new Date('2026-03-14T00:00:00Z');
    expect(portalWindow({ start, end: new Date('2026-04-14T00:00:00Z') }, now)).toEqual({
      period: 'subscription_period',
      start,
      end: now,
      windowSize: 'hour',
    });
  });

  it('ends at the period end when that came first, and is never empty', () => {
    const start = new Date('2026-02-01T00:00:00Z');
    const end = new Date('2026-03-01T00:00:00Z');
    expect(portalWindow({ start, end }, now)).toMatchObject({ start, end, windowSize: 'day' });
    const monthStart = new Date('2026-03-01T00:00:00Z');
    expect(portalWindow(null, monthStart).end).toEqual(new Date(monthStart.getTime() + 1));
  });
});
