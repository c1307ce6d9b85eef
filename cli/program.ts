import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_URL, describeError, type GlobalOptions } from './config.js';
import { registerImport } from './commands/import.js';
import { registerReport } from './commands/report.js';
import { registerResources } from './commands/resources.js';
import { registerWebhooks } from './commands/webhooks.js';

const CONFIG_HELP = `
Configuration: TALLY_API_KEY (or --api-key) and TALLY_URL (or --url, default http://localhost:3000).
--json prints machine-readable output on stdout (progress and errors go to stderr).
Exit codes: 0 success, 1 an API error or rejected events, 2 a usage or configuration error.`;

/** The `tally` program; `run` parses argv and answers the exit code. */
export function buildProgram(): Command {
  const program = new Command('tally');
  program
    .description(
      "Tally's command-line tool: import usage events, read metrics, customers, invoices and reports, follow webhooks",
    )
    .addOption(new Option('--api-key <key>', 'API key (default: $TALLY_API_KEY)'))
    .addOption(
      new Option('--url <url>', 'Tally API base URL (default: $TALLY_URL, else http://localhost:3000)'),
    )
    .option('--json', 'machine-readable JSON output')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .addHelpText('after', CONFIG_HELP);
  const globals = () => program.opts<GlobalOptions>();
  const resources = registerResources(program, globals);
  registerImport(resources.get('events')!, globals);
  registerReport(program, globals);
  registerWebhooks(program, globals);
  // A group without its subcommand shows its help on stderr, a usage error (exit 2) like an unknown one.
  return program;
}

export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; a usage error with 1, which is ours 2.
      if (error.exitCode === 0) return 0;
      return 2;
    }
    const options = program.opts<GlobalOptions>();
    const json = options.json === true;
    const { message, exitCode, body } = describeError(
      error,
      options.url ?? process.env.TALLY_URL ?? DEFAULT_URL,
    );
    process.stderr.write(json ? `${JSON.stringify({ error: body })}\n` : `error: ${message}\n`);
    return exitCode;
  }
}
