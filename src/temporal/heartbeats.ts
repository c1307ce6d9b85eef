import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/**
 * Heartbeats for every activity whose workflow gave it a heartbeat timeout, a few times per
 * timeout while it runs: a worker killed mid-activity is then noticed within that timeout and
 * the activity retried on another worker, instead of after its whole start-to-close timeout.
 */
export const heartbeatInterceptor: ActivityInterceptorsFactory = (context) => ({
  inbound: {
    async execute(input, next) {
      const timeoutMs = context.info.heartbeatTimeoutMs;
      if (!timeoutMs) return next(input);
      const beat = setInterval(() => context.heartbeat(), Math.max(100, Math.floor(timeoutMs / 3)));
      try {
        return await next(input);
      } finally {
        clearInterval(beat);
      }
    },
  },
});
