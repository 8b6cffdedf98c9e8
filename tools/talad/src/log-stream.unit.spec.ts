import { describe, expect, it } from 'vitest';
import {
  condenseStackTraces,
  formatPrettyRecord,
  LineSplitter,
  LogStream,
  PostgresLogFilter,
  renderLine,
} from './log-stream.ts';
import { Output } from './output.ts';

const localTime = new Date(2025, 0, 2, 3, 4, 5, 6);

describe('LineSplitter', () => {
  it('joins lines split across chunks and keeps the unfinished one for later', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('{"a":')).toEqual([]);
    expect(splitter.push('1}\nsecond\r\nthi')).toEqual(['{"a":1}', 'second']);
    expect(splitter.push('rd\n')).toEqual(['third']);
    expect(splitter.push('no newline at the end')).toEqual([]);
    expect(splitter.end()).toEqual(['no newline at the end']);
  });
});

describe('pretty log lines', () => {
  it('shows a request log as time, level, message, method and url, status, duration and request id', () => {
    const [line, ...rest] = formatPrettyRecord(
      {
        level: 30,
        time: localTime.getTime(),
        pid: 42,
        hostname: 'box',
        reqId: 'req-7',
        req: { method: 'GET', url: '/api/products?q=shirt', headers: { host: 'x' } },
        res: { statusCode: 200 },
        responseTime: 3.14159,
        msg: 'request completed',
      },
      false,
    );
    expect(line).toBe('03:04:05.006 INFO  request completed GET /api/products?q=shirt 200 3.1ms reqId=req-7');
    expect(rest).toEqual([]);
  });

  it('shows the chassis request log (method and url at the top level) the same way', () => {
    const line = JSON.stringify({
      service: 'gateway',
      level: 'info',
      time: localTime.toISOString(),
      instance: 'gateway-1',
      reqId: '01a218a8',
      traceId: 'ba73dc2b',
      spanId: '1feea5b7',
      method: 'GET',
      url: '/api/catalog/products?q=shirt',
      route: '/api/catalog/*',
      statusCode: 200,
      responseTime: 117.61,
      msg: 'request',
    });
    expect(renderLine('gateway', line, { format: 'pretty', color: false, width: 8, sourceColor: '33' })).toEqual([
      'gateway  | 03:04:05.006 INFO  request GET /api/catalog/products?q=shirt 200 117.6ms reqId=01a218a8',
    ]);
  });

  it('accepts the chassis format (level labels, ISO time) and hides its per-line noise', () => {
    const [line] = formatPrettyRecord(
      {
        level: 'warn',
        time: localTime.toISOString(),
        service: 'catalog',
        instance: 'catalog-1',
        traceId: 'abc',
        spanId: 'def',
        msg: 'slow query',
        durationMs: 1200,
        table: 'products',
        note: 'two words',
      },
      false,
    );
    expect(line).toBe('03:04:05.006 WARN  slow query durationMs=1200 table=products note="two words"');
  });

  it('puts an error stack on its own lines under the message', () => {
    const lines = formatPrettyRecord(
      {
        level: 50,
        msg: 'request failed',
        err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at handler (app.ts:1:1)' },
      },
      false,
    );
    expect(lines).toEqual(['ERROR request failed', '    Error: boom', '    at handler (app.ts:1:1)']);
  });

  it('colours the level only when asked to', () => {
    expect(formatPrettyRecord({ level: 50, msg: 'x' }, true)[0]).toContain('\x1b[31mERROR');
    expect(formatPrettyRecord({ level: 50, msg: 'x' }, false)[0]).not.toContain('\x1b');
  });
});

describe('renderLine', () => {
  const pretty = { format: 'pretty' as const, color: false, width: 8, sourceColor: '36' };
  const json = { ...pretty, format: 'json' as const };

  it('prefixes every line with the padded source name', () => {
    expect(renderLine('catalog', '{"level":30,"msg":"listening"}', pretty)).toEqual(['catalog  | INFO  listening']);
  });

  it('passes lines that are not JSON through as they are, with the prefix', () => {
    expect(renderLine('postgres', '2025-01-02 LOG:  checkpoint starting', pretty)).toEqual([
      'postgres | 2025-01-02 LOG:  checkpoint starting',
    ]);
    expect(renderLine('catalog', 'Warning: something', json)).toEqual(['catalog  | Warning: something']);
    expect(renderLine('catalog', '{not json', pretty)).toEqual(['catalog  | {not json']);
  });

  it('when piped, keeps JSON lines as JSON with the service first', () => {
    const [line = ''] = renderLine('catalog', '{"level":30,"msg":"hi","service":"old"}', json);
    expect(line).toBe('{"service":"catalog","level":30,"msg":"hi"}');
    expect(JSON.parse(line)).toEqual({ service: 'catalog', level: 30, msg: 'hi' });
  });
});

describe('LogStream', () => {
  it('remembers the last lines of each source, readable, for error messages', () => {
    let written = '';
    const stream = new LogStream(new Output({ write: (text: string) => (written += text) }, false), {
      format: 'json',
      color: false,
      sources: ['talad', 'catalog'],
    });
    for (let index = 1; index <= 20; index += 1)
      stream.line('catalog', JSON.stringify({ level: 30, msg: `line ${index}` }));
    stream.line('catalog', 'plain');
    expect(stream.tail('catalog', 3)).toEqual(['INFO  line 19', 'INFO  line 20', 'plain']);
    expect(stream.tail('gateway')).toEqual([]);
    expect(written.split('\n')[0]).toBe('{"service":"catalog","level":30,"msg":"line 1"}');
  });

  it("writes talad's own events as records of source talad", () => {
    let written = '';
    const stream = new LogStream(new Output({ write: (text: string) => (written += text) }, false), {
      format: 'json',
      color: false,
      sources: ['talad'],
    });
    stream.event('warn', 'catalog exited with code 1; restarting in 1s (attempt 2)');
    expect(JSON.parse(written)).toMatchObject({
      service: 'talad',
      level: 'warn',
      msg: 'catalog exited with code 1; restarting in 1s (attempt 2)',
    });
  });
});

describe('PostgresLogFilter', () => {
  const lines = [
    '2025-01-02 03:04:05.006 UTC [10] LOG:  database system is ready to accept connections',
    '2025-01-02 03:04:06.000 UTC [11] ERROR:  relation "nope" does not exist at character 15',
    '2025-01-02 03:04:06.000 UTC [11] STATEMENT:  SELECT * FROM nope',
    '2025-01-02 03:04:07.000 UTC [12] LOG:  checkpoint starting: time',
    '2025-01-02 03:04:07.100 UTC [12] DETAIL:  a detail of a checkpoint',
    '2025-01-02 03:04:08.000 UTC [13] WARNING:  there is no transaction in progress',
    '2025-01-02 03:04:09.000 UTC [14] FATAL:  password authentication failed for user "catalog"',
    '2025-01-02 03:04:09.000 UTC [14] DETAIL:  Connection matched file "pg_hba.conf" line 1',
  ];

  it('by default keeps warnings and worse, with the lines that belong to them', () => {
    const filter = new PostgresLogFilter(false);
    expect(lines.filter((line) => filter.accept(line)).map((line) => line.split('] ')[1])).toEqual([
      'ERROR:  relation "nope" does not exist at character 15',
      'STATEMENT:  SELECT * FROM nope',
      'WARNING:  there is no transaction in progress',
      'FATAL:  password authentication failed for user "catalog"',
      'DETAIL:  Connection matched file "pg_hba.conf" line 1',
    ]);
  });

  it('keeps everything with --verbose', () => {
    const filter = new PostgresLogFilter(true);
    expect(lines.filter((line) => filter.accept(line))).toEqual(lines);
  });
});

describe('condenseStackTraces', () => {
  it('keeps the message and the first frames of a trace, and counts the rest', () => {
    const trace = [
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/app/products/index.ts'",
      '    at finalizeResolution (node:internal/modules/esm/resolve:272:11)',
      '    at moduleResolve (node:internal/modules/esm/resolve:879:10)',
      '    at defaultResolve (node:internal/modules/esm/resolve:1006:11)',
      '    at ModuleJob.link (node:internal/modules/esm/module_job:381:17) {',
      "  code: 'ERR_MODULE_NOT_FOUND',",
      '}',
    ];
    expect(condenseStackTraces(trace)).toEqual([
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/app/products/index.ts'",
      '    at finalizeResolution (node:internal/modules/esm/resolve:272:11)',
      '    at moduleResolve (node:internal/modules/esm/resolve:879:10)',
      '    … 2 more frames',
      "  code: 'ERR_MODULE_NOT_FOUND',",
      '}',
    ]);
  });
});
