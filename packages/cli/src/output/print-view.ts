import type { CliContext } from '../cli/context';
import { renderCsv } from '../render/csv';
import { renderLineChart } from '../render/line-chart';
import { renderRecord, renderTable } from '../render/table';
import type { View, ViewBlock } from './view';

/** The label simulated data carries wherever people read it. */
export const SIMULATED_LABEL = 'SIMULATED';

/** The note under simulated data. */
export const SIMULATED_NOTE =
  'SIMULATED data: synthetic bars from the ktrdr IB simulator, not market data. Do not trade on them.';

const raw = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

const shown = (value: unknown, format?: (value: unknown) => string): string =>
  format !== undefined ? format(value) : value === null || value === undefined ? '-' : raw(value);

function titled(title: string | undefined, simulated: boolean): string | undefined {
  if (title === undefined) return simulated ? `[${SIMULATED_LABEL}]` : undefined;
  return simulated ? `${title}  [${SIMULATED_LABEL}]` : title;
}

function renderBlock(block: ViewBlock, simulated: boolean, columns: number | undefined): string {
  switch (block.kind) {
    case 'text':
      return block.text;
    case 'table': {
      const title = titled(block.title, simulated);
      const body =
        block.rows.length === 0 && block.empty !== undefined
          ? block.empty
          : renderTable({
              columns: block.columns.map((column) => ({ header: column.header, align: column.align })),
              rows: block.rows.map((row) =>
                block.columns.map((column) => shown(row[column.key], column.format)),
              ),
            });
      return title === undefined ? body : `${title}\n${body}`;
    }
    case 'record': {
      const title = titled(block.title, simulated);
      const body = renderRecord(
        block.fields.map((field) => [field.label, shown(field.value, field.format)] as const),
      );
      return title === undefined ? body : `${title}\n${body}`;
    }
    case 'chart': {
      const title = titled(block.title, simulated);
      // Leave room for the y-axis labels; never wider than the terminal.
      const width = Math.max(20, Math.min(block.options?.width ?? 72, (columns ?? 80) - 14));
      const body = renderLineChart(block.series, { ...block.options, width });
      return title === undefined ? body : `${title}\n${body}`;
    }
  }
}

/** Prints a view in the run's format (`-f`): one place decides what table, json and csv look like. */
export function printView(context: CliContext, view: View): void {
  const simulated = view.simulated === true;
  switch (context.format) {
    case 'json':
      context.out(JSON.stringify(view.json, null, 2));
      return;
    case 'csv': {
      const block = view.blocks.find((b) => b.kind === 'table' || b.kind === 'record');
      if (block?.kind === 'table') {
        context.io.stdout.write(
          renderCsv(
            block.columns.map((column) => column.key),
            block.rows.map((row) => block.columns.map((column) => raw(row[column.key]))),
          ),
        );
      } else if (block?.kind === 'record') {
        context.io.stdout.write(
          renderCsv(
            ['field', 'value'],
            block.fields.map((field) => [field.key, raw(field.value)]),
          ),
        );
      }
      // stdout stays pure CSV for the next program; people still learn what the data is.
      if (simulated) context.note(`note: ${SIMULATED_NOTE}`);
      return;
    }
    case 'table': {
      const parts = view.blocks.map((block) => renderBlock(block, simulated, context.io.stdout.columns));
      if (simulated) parts.push(SIMULATED_NOTE);
      context.out(parts.join('\n\n'));
    }
  }
}
