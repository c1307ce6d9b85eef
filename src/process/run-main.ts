import { ConfigError } from '../config/config.js';

/** Runs a process's main function; a startup failure is one clear line and exit code 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) console.error(`tally: ${error.message}`);
    else console.error('tally: failed to start:', error);
    process.exit(1);
  });
}
