import { describe, expect, it } from 'vitest';
import { parseCli } from './cli.ts';

const root = '/repo';
const parse = (argv: string[], env: Record<string, string> = {}) =>
  parseCli(argv, { INIT_CWD: '/home/me/work', ...env }, root);

describe('parseCli', () => {
  it('runs `up` with defaults when given nothing', () => {
    expect(parse([])).toEqual({
      kind: 'run',
      command: 'up',
      options: { dataDir: '/repo/.talad', reset: false, port: undefined, portOffset: 0, verbose: false, scale: {} },
    });
  });

  it('reads every `up` flag', () => {
    expect(
      parse([
        'up',
        '--data-dir',
        '/data',
        '--reset',
        '--port',
        '9000',
        '--port-offset',
        '1000',
        '--verbose',
        '--scale',
        'catalog=2,basket=3',
        '--scale',
        'identity=2',
      ]),
    ).toEqual({
      kind: 'run',
      command: 'up',
      options: {
        dataDir: '/data',
        reset: true,
        port: 9000,
        portOffset: 1000,
        verbose: true,
        scale: { catalog: 2, basket: 3, identity: 2 },
      },
    });
  });

  it('takes a relative --data-dir from the folder the command was typed in, not the project root', () => {
    const cli = parse(['--data-dir', 'tmp/data']);
    expect(cli.kind === 'run' && cli.options.dataDir).toBe('/home/me/work/tmp/data');
  });

  it('uses TALAD_DATA_DIR when there is no --data-dir, and the flag wins over it', () => {
    const fromEnv = parse(['status'], { TALAD_DATA_DIR: '/env/data' });
    expect(fromEnv.kind === 'run' && fromEnv.options.dataDir).toBe('/env/data');
    const fromFlag = parse(['status', '--data-dir=/flag/data'], { TALAD_DATA_DIR: '/env/data' });
    expect(fromFlag.kind === 'run' && fromFlag.options.dataDir).toBe('/flag/data');
  });

  it('takes the gateway port from PORT, with --port winning', () => {
    const fromEnv = parse([], { PORT: '8081' });
    expect(fromEnv.kind === 'run' && fromEnv.command === 'up' && fromEnv.options.port).toBe(8081);
    const fromFlag = parse(['--port', '8082'], { PORT: '8081' });
    expect(fromFlag.kind === 'run' && fromFlag.command === 'up' && fromFlag.options.port).toBe(8082);
  });

  it.each([
    [['--bogus'], "unknown option '--bogus' for 'talad up'"],
    [['status', '--reset'], "unknown option '--reset' for 'talad status'"],
    [['--port'], '--port needs a value'],
    [['--port', '--reset'], '--port needs a value'],
    [['--reset=yes'], '--reset does not take a value'],
    [['--port', '70000'], "--port must be a port number from 1 to 65535, got '70000'"],
    [['--port', '80a'], "--port must be a port number from 1 to 65535, got '80a'"],
    [['--port-offset', 'x'], "--port-offset must be a whole number from 0 to 50000, got 'x'"],
    [['--scale', 'catalog'], "--scale takes NAME=N with N from 1 to 16, got 'catalog'"],
    [['--scale', 'catalog=0'], "--scale takes NAME=N with N from 1 to 16, got 'catalog=0'"],
    [['--scale', 'catalog=2,basket=x'], "--scale takes NAME=N with N from 1 to 16, got 'basket=x'"],
    [['launch'], "unknown command 'launch'"],
    [['up', 'now'], "unexpected argument 'now' for 'talad up'"],
    [['dlq'], 'dlq needs an action: list, show or replay'],
    [['dlq', 'purge'], "unknown dlq action 'purge'"],
    [['dlq', 'show'], 'dlq show needs exactly one id'],
    [['dlq', 'replay', 'a', 'b'], 'dlq replay needs exactly one id'],
    [['dlq', 'list', 'a'], 'dlq list takes no id'],
  ])('rejects %j with a clear message', (argv, problem) => {
    const cli = parse(argv);
    expect(cli.kind).toBe('usage-error');
    expect(cli.kind === 'usage-error' && cli.message.split('\n')[0]).toBe(`talad: ${problem}`);
  });

  it('reads the dead-letter actions', () => {
    expect(parse(['dlq', 'list', '--all'])).toEqual({
      kind: 'run',
      command: 'dlq',
      options: { dataDir: '/repo/.talad', action: 'list', id: undefined, service: undefined, all: true },
    });
    expect(parse(['dlq', 'replay', 'a1', '--service', 'ordering'])).toMatchObject({
      options: { action: 'replay', id: 'a1', service: 'ordering', all: false },
    });
  });

  it('rejects a PORT that is not a port, naming the variable', () => {
    const cli = parse([], { PORT: 'http' });
    expect(cli.kind === 'usage-error' && cli.message).toContain(
      "PORT must be a port number from 1 to 65535, got 'http'",
    );
  });

  it('shows the overall help, and each command its own', () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const cli = parse(argv);
      expect(cli.kind === 'help' && cli.text).toContain('Commands:');
    }
    const up = parse(['up', '--help']);
    expect(up.kind === 'help' && up.text).toContain('--reset');
    const status = parse(['status', '-h']);
    expect(status.kind === 'help' && status.text).toContain('talad status');
  });
});
