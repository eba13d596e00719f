import { describe, expect, it } from 'vitest';
import { createPathRedactor } from '@ktrdr/core';

// The servers' answers and logs, and what queue workers store in Redis, go through this redactor
// (the HTTP side is tested in the server package: no-path-leaks.test.ts).
describe('createPathRedactor', () => {
  it('redacts paths in texts as JSON writes them, and leaves route paths alone', () => {
    const redact = createPathRedactor([{ label: 'data dir', path: '/srv/ktrdr/data' }]);
    expect(redact('No route GET /api/v1/data/NOPE/1h')).toBe('No route GET /api/v1/data/NOPE/1h');
    expect(redact("open '/srv/ktrdr/data/AAPL_1h.csv'")).toBe("open '<data dir>/AAPL_1h.csv'");
    expect(redact('/srv/ktrdr/database/x')).toBe('<path>');
    expect(redact('{"m":"at file:///opt/app/x.js"}')).toBe('{"m":"at <path>"}');
    expect(redact(JSON.stringify({ m: 'C:\\Users\\me\\data' }))).toBe('{"m":"<path>"}');
    expect(redact(JSON.stringify({ m: 'boom\n    at f (/usr/lib/x.js:1:2)\n    at g (x.js:3:4)' }))).toBe(
      '{"m":"boom"}',
    );
  });

  it('shows a folder by its label, the longest first, and leaves texts without a slash alone', () => {
    const redact = createPathRedactor([
      { label: 'data dir', path: '/srv/ktrdr' },
      { label: 'models dir', path: '/srv/ktrdr/models' },
    ]);
    expect(redact('saved /srv/ktrdr/models/m/v1 from /srv/ktrdr/AAPL.csv')).toBe(
      'saved <models dir>/m/v1 from <data dir>/AAPL.csv',
    );
    expect(redact('2024-01-01T00:00:00Z 1.5')).toBe('2024-01-01T00:00:00Z 1.5');
  });
});
