// @vitest-environment happy-dom
import { type ComponentChild, h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfusionMatrix } from '../../web/components/confusion-matrix';
import { CurvesChart } from '../../web/components/curves-chart';
import { ErrorMessage } from '../../web/components/error-message';
import { ListHead, RowToggle } from '../../web/components/list-table';
import { ProgressBar } from '../../web/components/progress-bar';
import { TextField } from '../../web/components/text-field';
import { SignIn } from '../../web/sign-in';

let host: HTMLElement;
const mount = (node: ComponentChild) => {
  host = document.createElement('div');
  document.body.append(host);
  render(node, host);
  return host;
};
afterEach(() => {
  render(null, host);
  host.remove();
});

describe('dashboard components', () => {
  it('ListHead names each column, then an actions column for screen readers only', () => {
    const el = mount(h('table', null, h(ListHead, { columns: ['model', 'series'] })));
    const headers = [...el.querySelectorAll('th')];
    expect(headers.map((th) => th.getAttribute('scope'))).toEqual(['col', 'col', 'col']);
    expect(headers.map((th) => th.textContent)).toEqual(['model', 'series', 'actions']);
    expect(headers[2]?.querySelector('.visually-hidden')?.textContent).toBe('actions');
  });

  it('RowToggle names its row, says whether it is shown, and reports clicks', () => {
    const onClick = vi.fn();
    const el = mount(h(RowToggle, { label: 'Show bt_1', pressed: true, onClick }, 'Show'));
    const button = el.querySelector('button') as HTMLButtonElement;
    expect([button.type, button.getAttribute('aria-label'), button.textContent]).toEqual([
      'button',
      'Show bt_1',
      'Show',
    ]);
    expect(button.getAttribute('aria-pressed')).toBe('true');
    button.click();
    expect(onClick).toHaveBeenCalledOnce();
  });

  it('TextField wraps its input in the label and hands back what is typed', () => {
    const onInput = vi.fn();
    const el = mount(
      h(TextField, { label: 'Epochs', name: 'epochs', type: 'number', min: 1, value: '5', onInput }),
    );
    const input = el.querySelector('label > input') as HTMLInputElement;
    expect(el.querySelector('label')?.textContent?.trim()).toBe('Epochs');
    expect([input.type, input.name, input.min, input.value]).toEqual(['number', 'epochs', '1', '5']);
    input.value = '7';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    expect(onInput).toHaveBeenCalledWith('7');
  });

  it('ProgressBar clamps its value and names what progresses', () => {
    const el = mount(h(ProgressBar, { percentage: 140, label: 'Load AAPL progress' }));
    const bar = el.querySelector('progress') as HTMLProgressElement;
    expect(bar.getAttribute('aria-label')).toBe('Load AAPL progress');
    expect(bar.getAttribute('value')).toBe('100');
    expect(el.textContent).toContain('100%');
  });

  it('ErrorMessage shows the code before the message, as an alert', () => {
    const el = mount(h(ErrorMessage, { code: 'VALIDATION', message: 'Unknown timeframe 7h' }));
    const alert = el.querySelector('[role="alert"]') as HTMLElement;
    expect(alert.querySelector('code')?.textContent).toBe('VALIDATION');
    expect(alert.textContent).toContain('Unknown timeframe 7h');
  });

  it('ConfusionMatrix puts true classes in rows and predicted ones in columns', () => {
    const el = mount(
      h(ConfusionMatrix, {
        caption: 'Confusion matrix (test split)',
        matrix: [
          [5, 1, 0],
          [2, 7, 1],
          [0, 3, 9],
        ],
      }),
    );
    const rows = [...el.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(rows).toEqual([
      ['BUY', '5', '1', '0'],
      ['HOLD', '2', '7', '1'],
      ['SELL', '0', '3', '9'],
    ]);
    expect(el.querySelectorAll('td.diagonal')).toHaveLength(3);
    expect(el.querySelector('caption')?.textContent).toBe('Confusion matrix (test split)');
  });

  it('CurvesChart draws one line per curve, skips missing epochs, and summarises the last values', () => {
    const el = mount(
      h(CurvesChart, {
        title: 'Loss per epoch',
        format: (v: number) => v.toFixed(2),
        curves: [
          { name: 'training', color: '#00f', values: [1, 0.8, 0.5] },
          { name: 'validation', color: '#f80', values: [1.1, Number.NaN, 0.9] },
        ],
      }),
    );
    const lines = [...el.querySelectorAll('polyline')];
    expect(lines.map((l) => l.getAttribute('data-curve'))).toEqual(['training', 'validation']);
    expect(lines[0]?.getAttribute('points')?.split(' ')).toHaveLength(3);
    expect(lines[1]?.getAttribute('points')?.split(' ')).toHaveLength(2);
    expect(el.querySelector('svg')?.getAttribute('aria-label')).toBe(
      'Loss per epoch over 3 epochs; last: training 0.50, validation 0.90',
    );
  });

  it('CurvesChart says so when nothing was recorded', () => {
    const el = mount(h(CurvesChart, { title: 'Accuracy per epoch', format: String, curves: [] }));
    expect(el.textContent).toBe('No accuracy per epoch recorded.');
  });

  it('SignIn hands over the URL without trailing slashes and the token, with labelled fields', () => {
    const onSubmit = vi.fn();
    const el = mount(h(SignIn, { session: { baseUrl: 'http://127.0.0.1:8000/api/v1' }, onSubmit }));
    const labels = [...el.querySelectorAll('label')].map((l) => l.textContent?.trim());
    expect(labels).toEqual(['API URL', 'API token']);
    const [url, token] = [...el.querySelectorAll('input')] as HTMLInputElement[];
    expect(token?.type).toBe('password');
    // Each event in act(), so the state it sets is rendered before the next one reads it.
    act(() => {
      url!.value = 'http://10.0.0.5:8000/api/v1//';
      url!.dispatchEvent(new Event('input', { bubbles: true }));
    });
    act(() => {
      token!.value = ' t0k ';
      token!.dispatchEvent(new Event('input', { bubbles: true }));
    });
    act(() => {
      (el.querySelector('form') as HTMLFormElement).dispatchEvent(
        new Event('submit', { bubbles: true, cancelable: true }),
      );
    });
    expect(onSubmit).toHaveBeenCalledWith({ baseUrl: 'http://10.0.0.5:8000/api/v1', token: 't0k' });
  });
});
