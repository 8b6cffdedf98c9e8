import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { ADMIN_COMMAND, parseAdminCommand, type AdminOptions } from './admin-cli.ts';
import type { CheckOptions } from './check-invariants.ts';
import type { RebuildOptions } from './rebuild.ts';

export type CommandName = 'up' | 'status' | 'stop' | 'dlq' | 'admin' | 'check' | 'rebuild';

export interface UpOptions {
  readonly dataDir: string;
  readonly reset: boolean;
  /** Port of the entry point (the gateway); undefined keeps the topology's. */
  readonly port: number | undefined;
  /** Added to every port (PostgreSQL's and each service's), so a second system can run beside the first. */
  readonly portOffset: number;
  readonly verbose: boolean;
  /** Instances per service, from `--scale catalog=2`; services not named run one. */
  readonly scale: Readonly<Record<string, number>>;
}

export type Cli =
  | { readonly kind: 'run'; readonly command: 'up'; readonly options: UpOptions }
  | { readonly kind: 'run'; readonly command: 'status' | 'stop'; readonly options: { readonly dataDir: string } }
  | { readonly kind: 'run'; readonly command: 'dlq'; readonly options: DeadLetterOptions }
  | { readonly kind: 'run'; readonly command: 'admin'; readonly options: AdminOptions }
  | { readonly kind: 'run'; readonly command: 'check'; readonly options: CheckOptions }
  | { readonly kind: 'run'; readonly command: 'rebuild'; readonly options: RebuildOptions }
  | { readonly kind: 'help'; readonly text: string }
  /** Bad usage: print the message and exit 2. */
  | { readonly kind: 'usage-error'; readonly message: string };

export interface DeadLetterOptions {
  readonly dataDir: string;
  readonly action: 'list' | 'show' | 'replay';
  /** The dead letter's id, for show and replay. */
  readonly id: string | undefined;
  /** Only this service's dead letters; all services' when undefined. */
  readonly service: string | undefined;
  /** list: also those already replayed. */
  readonly all: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

const COMMANDS: Record<CommandName, { summary: string; options: ParseArgsOptionsConfig; usage: string }> = {
  up: {
    summary: 'start the whole system and stay in the foreground (the default)',
    options: {
      'data-dir': { type: 'string' },
      reset: { type: 'boolean' },
      port: { type: 'string' },
      'port-offset': { type: 'string' },
      verbose: { type: 'boolean' },
      scale: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    usage: `talad up [--data-dir DIR] [--reset] [--port N] [--port-offset N] [--scale NAME=N,...] [--verbose]

  --data-dir DIR  where PostgreSQL data, secrets and state live
                  (default: TALAD_DATA_DIR, else .talad/ in the project root)
  --reset         delete the data dir first and start from empty (migrations and seeds run again)
  --port N        port of the gateway (default: PORT, else 8080)
  --port-offset N add N to every port, to run a second system beside the first (tests do)
  --scale NAME=N  run N instances of a service (repeatable, or a comma list: --scale catalog=2,basket=2);
                  the first keeps its port, the others take free ones; they log as NAME#1, NAME#2...
                  all register in the service registry, where the gateway finds them
  --verbose       show all of PostgreSQL's log, not only warnings and errors
  -h, --help      show this help

Logs from every process come out in one stream, prefixed by service: pretty on a terminal,
JSON lines with a "service" field when piped (TALAD_LOG_FORMAT=pretty|json overrides).
Services log at LOG_LEVEL (default info). A service has TALAD_READY_TIMEOUT seconds (default 60)
to answer 200 on /health/ready. Ctrl-C stops everything.`,
  },
  status: {
    summary: 'say whether the system is running and how healthy each service is',
    options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    usage: `talad status [--data-dir DIR]

Exit code: 0 running and every service ready, 1 running but not all ready, 3 not running.`,
  },
  dlq: {
    summary: 'list, inspect and replay the messages services could not handle (dead letters)',
    options: {
      'data-dir': { type: 'string' },
      service: { type: 'string' },
      all: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    usage: `talad dlq list [--service NAME] [--all]
       talad dlq show ID [--service NAME]
       talad dlq replay ID [--service NAME]

  list      the dead letters waiting in every service (or one), newest first; --all adds replayed ones
  show      one dead letter with its message body and the reason it failed
  replay    send it again to its topic; replaying twice sends it once
  --data-dir DIR  the data dir of the running system (as for talad up)`,
  },
  stop: {
    summary: 'stop a system started by `talad up` in another terminal (or a PostgreSQL it left behind)',
    options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    usage: 'talad stop [--data-dir DIR]',
  },
  admin: ADMIN_COMMAND,
  check: {
    summary: 'check the consistency invariants (CONSISTENCY.md) against the running system',
    options: {
      'data-dir': { type: 'string' },
      'port-offset': { type: 'string' },
      wait: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    usage: `talad check [--data-dir DIR] [--port-offset N] [--wait SECONDS]

  Reads ordering, inventory, payment, the card provider and every messaging service as the talad-admin
  client and prints each invariant with its result and counts (npm run check:invariants runs this).
  --data-dir DIR   the data dir of the running system (as for talad up): its secrets and ports
  --port-offset N  the offset the system was started with, when no talad runs on the data dir
  --wait SECONDS   while an invariant fails, check again every second for up to this long (default 0)

Exit code: 0 every invariant holds, 1 one fails, 3 the system could not be read.`,
  },
  rebuild: {
    summary: 'rebuild a read model from its events and check it equals the live one',
    options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    usage: `talad rebuild order-history [--data-dir DIR]

  Rebuilds order-history's read model from scratch out of the events it received, compares it with the
  live model at one snapshot, repairs any order that differed, and prints the result.

Exit code: 0 equal, 1 orders differed (now repaired), 3 the system could not be reached.`,
  },
};

export const mainUsage = `talad: runs Talad on this machine

Usage: talad [command] [options]     (npm start = talad up; npm run talad -- <command> ...)

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(8)}${command.summary}`)
  .join('\n')}

Run \`talad <command> --help\` for a command's options.`;

function isCommand(word: string): word is CommandName {
  return Object.hasOwn(COMMANDS, word);
}

/**
 * Reads the command line. Relative paths are taken from the folder the user typed the command in:
 * npm runs scripts from the project root, but keeps the original folder in INIT_CWD.
 */
export function parseCli(argv: readonly string[], env: Env, projectRoot: string): Cli {
  const first = argv[0];
  if (first === 'help' || ((first === '--help' || first === '-h') && argv.length === 1)) {
    return { kind: 'help', text: mainUsage };
  }
  let command: CommandName = 'up';
  let rest = argv;
  if (first !== undefined && !first.startsWith('-')) {
    if (!isCommand(first)) return usageError(`unknown command '${first}'`);
    command = first;
    rest = argv.slice(1);
  }

  let values: Record<string, string | boolean | undefined>;
  let positionals: string[] = [];
  try {
    const parsed = parseArgs({
      args: [...rest],
      options: COMMANDS[command].options,
      strict: true,
      allowPositionals: true,
    });
    if (command === 'dlq' || command === 'admin' || command === 'rebuild') positionals = parsed.positionals;
    else if (parsed.positionals.length > 0) {
      return usageError(`unexpected argument '${parsed.positionals[0]}' for 'talad ${command}'`, command);
    }
    values = parsed.values as Record<string, string | boolean | undefined>;
  } catch (error) {
    return usageError(describeParseError(error, command), command);
  }
  if (values['help'] === true) return { kind: 'help', text: `Usage: ${COMMANDS[command].usage}` };

  const baseDir = env['INIT_CWD'] ?? process.cwd();
  const dataDirFlag = values['data-dir'] as string | undefined;
  if (dataDirFlag === '') return usageError('--data-dir needs a folder', command);
  const dataDirSetting = dataDirFlag ?? (env['TALAD_DATA_DIR'] || undefined);
  const dataDir =
    dataDirSetting === undefined
      ? join(projectRoot, '.talad')
      : isAbsolute(dataDirSetting)
        ? dataDirSetting
        : resolve(baseDir, dataDirSetting);

  if (command === 'dlq') return parseDeadLetterCommand(dataDir, positionals, values);
  if (command === 'admin') {
    const admin = parseAdminCommand(dataDir, positionals, values);
    return typeof admin === 'string' ? usageError(admin, command) : { kind: 'run', command, options: admin };
  }
  if (command === 'check') return parseCheckCommand(dataDir, values);
  if (command === 'rebuild') {
    if (positionals.length !== 1 || positionals[0] !== 'order-history') {
      return usageError('rebuild needs the read model to rebuild: order-history', command);
    }
    return { kind: 'run', command, options: { dataDir, model: 'order-history' } };
  }
  if (command !== 'up') return { kind: 'run', command, options: { dataDir } };

  const portFlag = values['port'] as string | undefined;
  let port: number | undefined;
  if (portFlag !== undefined) {
    port = parsePort(portFlag);
    if (port === undefined)
      return usageError(`--port must be a port number from 1 to 65535, got '${portFlag}'`, command);
  } else if (env['PORT'] !== undefined && env['PORT'] !== '') {
    port = parsePort(env['PORT']);
    if (port === undefined)
      return usageError(`PORT must be a port number from 1 to 65535, got '${env['PORT']}'`, command);
  }

  const offsetFlag = (values['port-offset'] as string | undefined) ?? '0';
  const portOffset = /^\d{1,5}$/.test(offsetFlag) ? Number(offsetFlag) : Number.NaN;
  if (!(portOffset >= 0 && portOffset <= 50_000)) {
    return usageError(`--port-offset must be a whole number from 0 to 50000, got '${offsetFlag}'`, command);
  }

  const scale = parseScale((values['scale'] as string[] | undefined) ?? []);
  if (typeof scale === 'string') return usageError(scale, command);

  return {
    kind: 'run',
    command,
    options: {
      dataDir,
      reset: values['reset'] === true,
      port,
      portOffset,
      verbose: values['verbose'] === true,
      scale,
    },
  };
}

const MAX_INSTANCES = 16;

/** `['catalog=2', 'basket=3,identity=2']` → `{ catalog: 2, basket: 3, identity: 2 }`, or what is wrong. */
export function parseScale(flags: readonly string[]): Record<string, number> | string {
  const scale: Record<string, number> = {};
  for (const item of flags.flatMap((flag) => flag.split(','))) {
    const match = /^\s*([a-z][a-z0-9_-]*)=(\d{1,3})\s*$/.exec(item);
    const count = Number(match?.[2]);
    if (!match?.[1] || !(count >= 1 && count <= MAX_INSTANCES)) {
      return `--scale takes NAME=N with N from 1 to ${MAX_INSTANCES}, got '${item}'`;
    }
    scale[match[1]] = count;
  }
  return scale;
}

function parseDeadLetterCommand(
  dataDir: string,
  positionals: readonly string[],
  values: Record<string, string | boolean | undefined>,
): Cli {
  const [action, id, extra] = positionals;
  if (action !== 'list' && action !== 'show' && action !== 'replay') {
    return usageError(action ? `unknown dlq action '${action}'` : 'dlq needs an action: list, show or replay', 'dlq');
  }
  if (action === 'list' ? id !== undefined : id === undefined || extra !== undefined) {
    return usageError(action === 'list' ? 'dlq list takes no id' : `dlq ${action} needs exactly one id`, 'dlq');
  }
  const service = values['service'] as string | undefined;
  return { kind: 'run', command: 'dlq', options: { dataDir, action, id, service, all: values['all'] === true } };
}

function parseCheckCommand(dataDir: string, values: Record<string, string | boolean | undefined>): Cli {
  const offsetFlag = (values['port-offset'] as string | undefined) ?? '0';
  const portOffset = /^\d{1,5}$/.test(offsetFlag) ? Number(offsetFlag) : Number.NaN;
  if (!(portOffset >= 0 && portOffset <= 50_000)) {
    return usageError(`--port-offset must be a whole number from 0 to 50000, got '${offsetFlag}'`, 'check');
  }
  const waitFlag = (values['wait'] as string | undefined) ?? '0';
  if (!/^\d{1,4}$/.test(waitFlag)) return usageError(`--wait takes whole seconds, got '${waitFlag}'`, 'check');
  return { kind: 'run', command: 'check', options: { dataDir, portOffset, waitSeconds: Number(waitFlag) } };
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65_535 ? port : undefined;
}

function usageError(problem: string, command?: CommandName): Cli {
  const help = command ? `talad ${command} --help` : 'talad --help';
  return { kind: 'usage-error', message: `talad: ${problem}\nRun \`${help}\` to see the options.` };
}

/** parseArgs' own messages suggest `--` tricks that do not apply here; name the problem plainly. */
function describeParseError(error: unknown, command: CommandName): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const option = /'([^']+)'/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${option ?? message}' for 'talad ${command}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = option?.split(' ')[0] ?? 'an option';
      return /does not take/.test(message) ? `${name} does not take a value` : `${name} needs a value`;
    }
    default:
      return message;
  }
}
