import type { Output } from './output.ts';

/**
 * Merges every process's output into one stream, one line per event, prefixed by its source.
 * On a terminal, pino's JSON lines are shown as short readable lines; when piped, they stay JSON
 * (with a `service` field) so tools like jq can still read them.
 */
export type LogFormat = 'pretty' | 'json';

export type LogRecord = Record<string, unknown>;

const ESC = '\x1b[';
const paint = (code: string, text: string, color: boolean): string => (color ? `${ESC}${code}m${text}${ESC}0m` : text);
const dim = (text: string, color: boolean): string => paint('2', text, color);

/** Distinct, readable on dark and light backgrounds; red is left for errors. */
const SOURCE_COLORS = ['36', '35', '33', '32', '34', '96', '95', '93', '92', '94'];
const FIXED_SOURCE_COLORS: Record<string, string> = { talad: '1', postgres: '34' };

const LEVEL_NAMES: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
const LEVEL_COLORS: Record<string, string> = {
  trace: '90',
  debug: '90',
  info: '32',
  warn: '33',
  error: '31',
  fatal: '1;31',
};

/** Shown in their own way, or noise on every line (pid, hostname, trace ids: they stay in JSON output). */
const HANDLED_FIELDS = new Set([
  'level',
  'time',
  'msg',
  'message',
  'pid',
  'hostname',
  'v',
  'service',
  'instance',
  'traceId',
  'spanId',
  'reqId',
  'req',
  'res',
  'statusCode',
  'responseTime',
  'err',
  'error',
]);

/** Longer lines are cut: one runaway write must not make talad buffer without bound. */
const MAX_LINE_LENGTH = 64 * 1024;

/** Cuts a byte stream (already decoded to text) into lines, keeping a partial last line for the next chunk. */
export class LineSplitter {
  #partial = '';

  push(chunk: string): string[] {
    const text = this.#partial + chunk;
    const lines = text.split('\n');
    this.#partial = lines.pop() ?? '';
    if (this.#partial.length > MAX_LINE_LENGTH) {
      lines.push(this.#partial);
      this.#partial = '';
    }
    return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  }

  /** The unterminated last line, when the stream ends. */
  end(): string[] {
    const rest = this.#partial;
    this.#partial = '';
    return rest === '' ? [] : [rest];
  }
}

/** A JSON object line (what pino writes), or undefined for anything else. */
export function parseJsonLine(line: string): LogRecord | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as LogRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** pino writes numeric levels by default and labels when a formatter says so; accept both. */
export function levelName(level: unknown): string | undefined {
  if (typeof level === 'number') return LEVEL_NAMES[level] ?? `level${level}`;
  if (typeof level === 'string') return level.toLowerCase();
  return undefined;
}

/** Local wall-clock time with milliseconds; accepts epoch milliseconds or an ISO string. */
export function formatTime(time: unknown): string {
  if (typeof time !== 'number' && typeof time !== 'string') return '';
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return '';
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return String(value);
}

function record(value: unknown): LogRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as LogRecord) : undefined;
}

/**
 * One pino record as readable text: time, level, message, then the request details that matter
 * when reading a log (method and url, status, duration, request id), then other simple fields.
 * An error's stack follows on its own lines.
 */
export function formatPrettyRecord(entry: LogRecord, color: boolean): string[] {
  const level = levelName(entry['level']) ?? 'info';
  const time = formatTime(entry['time']);
  const message =
    typeof entry['msg'] === 'string' ? entry['msg'] : typeof entry['message'] === 'string' ? entry['message'] : '';
  const parts: string[] = [];
  if (time) parts.push(dim(time, color));
  parts.push(paint(LEVEL_COLORS[level] ?? '0', level.toUpperCase().padEnd(5), color));
  if (message) parts.push(message);

  const shown = new Set(HANDLED_FIELDS);
  // Fastify's own request logs nest the request under `req`; the chassis puts method and url at the top.
  const req = record(entry['req']);
  const method = req?.['method'] ?? entry['method'];
  const url = req?.['url'] ?? entry['url'];
  if (typeof method === 'string' && typeof url === 'string') {
    parts.push(`${method} ${url}`);
    for (const key of ['method', 'url', 'route']) shown.add(key);
  }
  const statusCode = record(entry['res'])?.['statusCode'] ?? entry['statusCode'];
  if (typeof statusCode === 'number') {
    const statusColor = statusCode >= 500 ? '31' : statusCode >= 400 ? '33' : '32';
    parts.push(paint(statusColor, String(statusCode), color));
  }
  if (typeof entry['responseTime'] === 'number') parts.push(`${Math.round(entry['responseTime'] * 10) / 10}ms`);

  const fields: string[] = [];
  if (entry['reqId'] !== undefined) fields.push(`reqId=${formatValue(entry['reqId'])}`);
  for (const [key, value] of Object.entries(entry)) {
    if (shown.has(key)) continue;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value))
      fields.push(`${key}=${formatValue(value)}`);
  }
  const error = record(entry['err']) ?? record(entry['error']);
  const stack = typeof error?.['stack'] === 'string' ? error['stack'] : undefined;
  if (error && !stack && typeof error['message'] === 'string') fields.push(`err=${formatValue(error['message'])}`);
  if (fields.length > 0) parts.push(dim(fields.join(' '), color));

  const lines = [parts.join(' ')];
  if (stack) lines.push(...stack.split('\n').map((line) => dim(`    ${line.trim()}`, color)));
  return lines;
}

export interface LogStreamOptions {
  readonly format: LogFormat;
  readonly color: boolean;
  /** Every source that may write, in the order their colours are handed out; sets the prefix width. */
  readonly sources: readonly string[];
}

/** The merged stream. Also remembers each source's last lines, to quote them when something fails. */
export class LogStream {
  readonly #output: Output;
  readonly #options: LogStreamOptions;
  readonly #width: number;
  readonly #colors = new Map<string, string>();
  readonly #tails = new Map<string, string[]>();

  constructor(output: Output, options: LogStreamOptions) {
    this.#output = output;
    this.#options = options;
    this.#width = Math.max(0, ...options.sources.map((source) => source.length));
    let next = 0;
    for (const source of options.sources) {
      const fixed = FIXED_SOURCE_COLORS[source];
      this.#colors.set(source, fixed ?? SOURCE_COLORS[next++ % SOURCE_COLORS.length] ?? '0');
    }
  }

  /** A line written by a process. */
  line(source: string, line: string): void {
    this.#remember(source, line);
    for (const text of renderLine(source, line, {
      ...this.#options,
      width: this.#width,
      sourceColor: this.#colors.get(source) ?? '0',
    })) {
      this.#output.line(text);
    }
  }

  /** Something talad itself has to say in the log (a crash, a restart), shaped like a pino record. */
  event(level: 'info' | 'warn' | 'error', msg: string, fields: LogRecord = {}): void {
    this.line('talad', JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields }));
  }

  /** The last lines a source wrote, readable (JSON shown pretty, without colour, stack traces shortened). */
  tail(source: string, count = 15): string[] {
    const lines = (this.#tails.get(source) ?? []).flatMap((line) => {
      const entry = parseJsonLine(line);
      return entry ? formatPrettyRecord(entry, false) : [line];
    });
    return condenseStackTraces(lines).slice(-count);
  }

  #remember(source: string, line: string): void {
    let lines = this.#tails.get(source);
    if (!lines) this.#tails.set(source, (lines = []));
    lines.push(line);
    if (lines.length > 50) lines.splice(0, lines.length - 50);
  }
}

/**
 * Keeps the first frames of each stack trace and drops the rest, so that a short excerpt of a log
 * still shows the error message above the trace instead of only Node's internal frames.
 */
export function condenseStackTraces(lines: readonly string[], keep = 2): string[] {
  const result: string[] = [];
  let frames = 0;
  let dropped = 0;
  const flush = (): void => {
    if (dropped > 0) result.push(`    … ${dropped} more frame${dropped === 1 ? '' : 's'}`);
    frames = 0;
    dropped = 0;
  };
  for (const line of lines) {
    if (/^\s+at /.test(line)) {
      frames += 1;
      if (frames <= keep) result.push(line);
      else dropped += 1;
      continue;
    }
    flush();
    result.push(line);
  }
  flush();
  return result;
}

/** Pure rendering of one line from one source; separated out so it can be tested without a terminal. */
export function renderLine(
  source: string,
  line: string,
  options: { format: LogFormat; color: boolean; width: number; sourceColor: string },
): string[] {
  const entry = parseJsonLine(line);
  if (entry && options.format === 'json') {
    // `service` first, for readers scanning raw lines; talad's name for the process wins over the record's.
    const tagged: LogRecord = { service: source, ...entry };
    tagged['service'] = source;
    return [JSON.stringify(tagged)];
  }
  const prefix = `${paint(options.sourceColor, source.padEnd(options.width), options.color)} ${options.color ? '│' : '|'} `;
  if (!entry) return [prefix + line];
  return formatPrettyRecord(entry, options.color).map((text) => prefix + text);
}

/**
 * PostgreSQL logs every checkpoint and connection at level LOG, which is noise while developing;
 * by default only warnings and worse get through, with the DETAIL/HINT/STATEMENT lines that follow them.
 */
export class PostgresLogFilter {
  readonly #verbose: boolean;
  #showing = true;

  constructor(verbose: boolean) {
    this.#verbose = verbose;
  }

  accept(line: string): boolean {
    if (this.#verbose) return true;
    const severity =
      /\b(DEBUG\d?|LOG|INFO|NOTICE|WARNING|ERROR|FATAL|PANIC|DETAIL|HINT|CONTEXT|STATEMENT|QUERY|LOCATION): {2}/.exec(
        line,
      )?.[1];
    if (severity === undefined) return this.#showing;
    if (['DETAIL', 'HINT', 'CONTEXT', 'STATEMENT', 'QUERY', 'LOCATION'].includes(severity)) return this.#showing;
    this.#showing = ['WARNING', 'ERROR', 'FATAL', 'PANIC'].includes(severity);
    return this.#showing;
  }
}
