import { parseCli } from './cli.ts';
import { projectRoot } from './data-dir.ts';
import { print, printError } from './output.ts';

/** The `talad` command. `npm start` runs `talad up`. */
const cli = parseCli(process.argv.slice(2), process.env, projectRoot);

switch (cli.kind) {
  case 'help':
    print(cli.text);
    break;
  case 'usage-error':
    printError(cli.message);
    process.exitCode = 2;
    break;
  case 'run': {
    let code: number;
    if (cli.command === 'up') {
      const { up } = await import('./up.ts');
      code = await up(cli.options, process.env);
    } else if (cli.command === 'admin') {
      const { admin } = await import('./admin.ts');
      code = await admin(cli.options);
    } else if (cli.command === 'check') {
      const { checkInvariantsCommand } = await import('./check-invariants.ts');
      code = await checkInvariantsCommand(cli.options);
    } else if (cli.command === 'rebuild') {
      const { rebuild } = await import('./rebuild.ts');
      code = await rebuild(cli.options);
    } else if (cli.command === 'dlq') {
      const { deadLetters } = await import('./dead-letters.ts');
      code = await deadLetters(cli.options);
    } else if (cli.command === 'status') {
      const { status } = await import('./status.ts');
      code = await status(cli.options.dataDir);
    } else {
      const { stop } = await import('./stop.ts');
      code = await stop(cli.options.dataDir);
    }
    // Exit now rather than when the event loop drains: an idle keep-alive socket must not hold talad open.
    process.exit(code);
  }
}
