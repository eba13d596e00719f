import type { ComponentType } from 'preact';
import type { ApiClient } from '../api/api-client';
import { BacktestsPage } from './backtests-page';
import { DataPage } from './data-page';
import { ModelsPage } from './models-page';
import { OperationsPage } from './operations-page';
import { WorkersPage } from './workers-page';

/** A page of the dashboard, reached at `#/<id>`. */
export interface PageEntry {
  id: string;
  title: string;
  component: ComponentType<{ client: ApiClient }>;
}

/** The pages, in the navigation's order. */
export const PAGES: readonly PageEntry[] = [
  { id: 'operations', title: 'Operations', component: OperationsPage },
  { id: 'data', title: 'Data', component: DataPage },
  { id: 'models', title: 'Models', component: ModelsPage },
  { id: 'backtests', title: 'Backtests', component: BacktestsPage },
  { id: 'workers', title: 'Workers', component: WorkersPage },
];

/** The page a location hash names (`#/data`), the first page otherwise. */
export function pageOf(hash: string): PageEntry {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return PAGES.find((p) => p.id === id) ?? (PAGES[0] as PageEntry);
}
