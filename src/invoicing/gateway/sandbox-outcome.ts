import type { SandboxBehaviour } from './sandbox-cards.js';

export type SandboxOutcome = { status: 'succeeded' } | { status: 'declined'; declineCode: string };

/**
 * What a sandbox card does on a charge, given how many charges were attempted before for the
 * same invoice with it: `tok_failOnce` / `tok_failTwice` decline that many times, then succeed.
 */
export function sandboxOutcome(behaviour: SandboxBehaviour, earlierAttempts: number): SandboxOutcome {
  switch (behaviour.kind) {
    case 'succeeds':
      return { status: 'succeeded' };
    case 'declines':
      return { status: 'declined', declineCode: behaviour.declineCode };
    case 'declines_first':
      return earlierAttempts < behaviour.attempts
        ? { status: 'declined', declineCode: 'card_declined' }
        : { status: 'succeeded' };
  }
}
