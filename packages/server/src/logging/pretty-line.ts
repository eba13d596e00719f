const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
// Written by pino on every line, or shown in the line's head: not repeated as key=value.
const HEAD_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'name']);

function show(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/**
 * Turns one pino JSON line into one line for people: `12:00:01 INFO  message key=value ...`.
 * A line that is not JSON is passed through unchanged. Small on purpose: pino-pretty (and its
 * dependencies) is not worth shipping for a terminal view of the same fields.
 */
export function prettyLine(jsonLine: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine;
  }
  const time = typeof entry['time'] === 'number' ? new Date(entry['time']).toISOString().slice(11, 23) : '';
  const level = (LEVEL_NAMES[Number(entry['level'])] ?? String(entry['level'])).padEnd(5);
  const fields = Object.entries(entry)
    .filter(([key]) => !HEAD_KEYS.has(key))
    .map(([key, value]) => `${key}=${show(value)}`);
  return `${[time, level, String(entry['msg'] ?? ''), ...fields].filter((part) => part !== '').join(' ')}\n`;
}
