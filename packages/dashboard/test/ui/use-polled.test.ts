// @vitest-environment happy-dom
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { usePolled } from '../../web/api/use-polled';

function Probe({ query, load }: { query: string; load: (q: string) => Promise<string> }) {
  const polled = usePolled(() => load(query), query);
  return h('p', null, polled.data ?? 'loading');
}

describe('usePolled', () => {
  it('shows nothing read for an old key once the key changes, and drops late answers for it', async () => {
    const pending = new Map<string, (value: string) => void>();
    const load = (q: string) => new Promise<string>((resolve) => pending.set(q, resolve));
    const host = document.createElement('div');
    // Runs `fn`, then lets the promise callbacks it triggered run and render.
    const settle = (fn: () => void) =>
      act(async () => {
        fn();
        await new Promise((resolve) => setTimeout(resolve, 0));
      });
    await act(() => render(h(Probe, { query: 'all', load }), host));
    await settle(() => pending.get('all')?.('rows of all'));
    expect(host.textContent).toBe('rows of all');

    // A filter changes: the unfiltered rows must not pass for filtered ones while the answer is out.
    await act(() => render(h(Probe, { query: 'failed', load }), host));
    expect(host.textContent).toBe('loading');
    await act(() => render(h(Probe, { query: 'running', load }), host));
    await settle(() => pending.get('failed')?.('rows of failed'));
    expect(host.textContent).toBe('loading');
    await settle(() => pending.get('running')?.('rows of running'));
    expect(host.textContent).toBe('rows of running');
    render(null, host);
  });
});
