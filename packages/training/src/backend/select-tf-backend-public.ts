import { selectTfBackend as selectInternal } from './tf-backend';
import type { TfBackendName, TfBackendOptions } from './tf-backend-names';

/**
 * The backend TF.js now runs on, as the public API shows it. `tf` is TF.js's core and layers
 * namespaces merged (`@tensorflow/tfjs-core` and `@tensorflow/tfjs-layers`), typed `unknown` so that ktrdr's types do not pull TF.js's own (and the WebGPU types
 * they reference) into projects that type-check libraries (`skipLibCheck: false`). To use it:
 * `selected.tf as typeof import('@tensorflow/tfjs-core') & typeof import('@tensorflow/tfjs-layers')`.
 */
export interface SelectedTfBackend {
  name: TfBackendName;
  tf: unknown;
  /** Backends tried before this one, and why each was passed over. */
  skipped: Array<{ backend: TfBackendName; reason: string }>;
}

/**
 * Picks the TF.js backend at run time: `@tensorflow/tfjs-node-gpu` when installed and a GPU is
 * present, else `@tensorflow/tfjs-node` when installed, else WebAssembly, else plain JS (`cpu`).
 * Memoised per requested backend (TF.js has one global backend).
 */
export const selectTfBackend: (options?: TfBackendOptions) => Promise<SelectedTfBackend> = selectInternal;
