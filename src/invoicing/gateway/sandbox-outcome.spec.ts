import { SANDBOX_CARDS } from './sandbox-cards.js';
import { sandboxOutcome, type SandboxOutcome } from './sandbox-outcome.js';

const SUCCEEDED: SandboxOutcome = { status: 'succeeded' };
const declined = (declineCode: string): SandboxOutcome => ({ status: 'declined', declineCode });

/** Each card's outcome for attempts 0, 1, … 5 (attempt n has n earlier attempts). */
const OUTCOMES: [string, SandboxOutcome[]][] = [
  ['tok_visa', Array.from({ length: 6 }, () => SUCCEEDED)],
  ['tok_chargeDeclined', Array.from({ length: 6 }, () => declined('card_declined'))],
  ['tok_insufficientFunds', Array.from({ length: 6 }, () => declined('insufficient_funds'))],
  ['tok_failOnce', [declined('card_declined'), ...Array.from({ length: 5 }, () => SUCCEEDED)]],
  [
    'tok_failTwice',
    [declined('card_declined'), declined('card_declined'), ...Array.from({ length: 4 }, () => SUCCEEDED)],
  ],
];

describe('sandboxOutcome', () => {
  it('covers every sandbox card', () => {
    expect(OUTCOMES.map(([token]) => token).sort()).toEqual(Object.keys(SANDBOX_CARDS).sort());
  });

  it.each(OUTCOMES)('%s on attempts 0 to 5', (token, expected) => {
    const { behaviour } = SANDBOX_CARDS[token]!;
    expect(expected.map((_, earlierAttempts) => sandboxOutcome(behaviour, earlierAttempts))).toEqual(
      expected,
    );
  });

  it.each([
    ['tok_visa', SUCCEEDED],
    ['tok_chargeDeclined', declined('card_declined')],
    ['tok_insufficientFunds', declined('insufficient_funds')],
    ['tok_failOnce', SUCCEEDED],
    ['tok_failTwice', SUCCEEDED],
  ])('%s keeps its outcome after many attempts', (token, expected) => {
    expect(sandboxOutcome(SANDBOX_CARDS[token]!.behaviour, 1000)).toEqual(expected);
  });
});
