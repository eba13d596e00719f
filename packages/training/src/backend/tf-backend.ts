import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ServiceConfigurationError } from '@ktrdr/core';
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfLayers from '@tensorflow/tfjs-layers';
import { TF_BACKENDS, TF_BACKEND_ENV, type TfBackendName, type TfBackendOptions } from './tf-backend-names';

/**
 * The part of TensorFlow.js this package uses: `@tensorflow/tfjs-core` (tensors, ops, optimizers,
 * `io`) and `@tensorflow/tfjs-layers` (`sequential`, `layers`, `loadLayersModel`). Not the
 * `@tensorflow/tfjs` bundle: its webgl backend, converter and data API (a few hundred MB with
 * their dependencies) are never used in Node.
 */
export type Tf = typeof TfCore & typeof TfLayers;

export { TF_BACKENDS, TF_BACKEND_ENV, type TfBackendName, type TfBackendOptions };

/** The backend TF.js now runs on. */
export interface SelectedTfBackend {
  name: TfBackendName;
  tf: Tf;
  /** Backends tried before this one, and why each was passed over. */
  skipped: Array<{ backend: TfBackendName; reason: string }>;
}

const NATIVE_PACKAGES: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

// What each native package needs besides itself, for the "not installed" advice.
const NATIVE_NEEDS: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': 'it downloads libtensorflow with CUDA at install time and needs an NVIDIA GPU with CUDA',
  tensorflow: 'it downloads libtensorflow at install time',
};

const cache = new Map<string, Promise<SelectedTfBackend>>();

/**
 * Picks the TF.js backend at run time: `@tensorflow/tfjs-node-gpu` when installed and a GPU is
 * present, else `@tensorflow/tfjs-node` when installed, else WebAssembly, else plain JS (`cpu`).
 * The native packages are optional peer dependencies: they are imported inside try/catch, so
 * their absence (they cannot be installed offline) only moves selection down the list.
 *
 * TF.js has one global backend, so the result is memoised per requested backend.
 */
export function selectTfBackend(options: TfBackendOptions = {}): Promise<SelectedTfBackend> {
  const requested = requestedBackend(options);
  const custom =
    options.importModule !== undefined ||
    options.gpuPresent !== undefined ||
    options.isInstalled !== undefined;
  if (custom) return select(requested, options);
  let pending = cache.get(requested);
  if (pending === undefined) {
    pending = select(requested, options);
    cache.set(requested, pending);
    pending.catch(() => cache.delete(requested));
  }
  return pending;
}

function requestedBackend(options: TfBackendOptions): TfBackendName | 'auto' {
  const fromEnv = (options.env ?? process.env)[TF_BACKEND_ENV]?.trim();
  const requested = options.backend ?? (fromEnv === undefined || fromEnv === '' ? 'auto' : fromEnv);
  if (requested !== 'auto' && !(TF_BACKENDS as readonly string[]).includes(requested)) {
    throw new ServiceConfigurationError(
      `${TF_BACKEND_ENV}=${requested} is not a TF.js backend; use one of auto, ${TF_BACKENDS.join(', ')}`,
      { details: { variable: TF_BACKEND_ENV, value: requested } },
    );
  }
  return requested as TfBackendName | 'auto';
}

async function select(
  requested: TfBackendName | 'auto',
  options: TfBackendOptions,
): Promise<SelectedTfBackend> {
  const importModule = options.importModule ?? ((specifier: string) => import(specifier) as Promise<unknown>);
  const tf = await loadTf();
  const candidates = requested === 'auto' ? TF_BACKENDS : [requested];
  const skipped: SelectedTfBackend['skipped'] = [];
  for (const backend of candidates) {
    try {
      await activate(tf, backend, {
        importModule,
        gpuPresent: options.gpuPresent ?? gpuDevicePresent,
        isInstalled: options.isInstalled ?? packageInstalled,
      });
      // TF.js's console advice ("install tfjs-node") is noise once a backend has been chosen deliberately.
      tf.env().set('PROD', true);
      return { name: backend, tf, skipped };
    } catch (error) {
      skipped.push({ backend, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  const tried = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
  throw new ServiceConfigurationError(
    requested === 'auto'
      ? `No TF.js backend could be initialised (${tried})`
      : `TF.js backend "${requested}" is not usable: ${skipped[0]?.reason ?? 'unknown reason'}. Or set ${TF_BACKEND_ENV}=auto to use the fastest backend that works.`,
    { details: { variable: TF_BACKEND_ENV, value: requested } },
  );
}

let tfModules: Promise<Tf> | undefined;

/**
 * Core + layers as one namespace, the shape of `@tensorflow/tfjs`'s. The cpu backend registers
 * itself on import; it is the fallback every other backend needs (and TF.js's own default).
 */
function loadTf(): Promise<Tf> {
  tfModules ??= Promise.all([
    import('@tensorflow/tfjs-core'),
    import('@tensorflow/tfjs-layers'),
    import('@tensorflow/tfjs-backend-cpu'),
  ]).then(([core, layers]) => ({ ...core, ...layers }) as Tf);
  tfModules.catch(() => (tfModules = undefined));
  return tfModules;
}

interface ActivateSeams {
  importModule: (specifier: string) => Promise<unknown>;
  gpuPresent: () => boolean;
  isInstalled: (specifier: string) => boolean;
}

async function activate(tf: Tf, backend: TfBackendName, seams: ActivateSeams): Promise<void> {
  const { importModule } = seams;
  if (backend === 'tensorflow-gpu' || backend === 'tensorflow') {
    const specifier = NATIVE_PACKAGES[backend];
    // Missing package first: "no GPU device found" would send the user looking for hardware when
    // what is missing is `npm install`.
    if (!seams.isInstalled(specifier)) {
      throw new Error(
        `${specifier} is not installed. Install it with \`npm install ${specifier}\` (${NATIVE_NEEDS[backend]})`,
      );
    }
    // Loading the GPU package without a device fails deep in CUDA: check for the device first.
    if (backend === 'tensorflow-gpu' && !seams.gpuPresent()) throw new Error('no GPU device found');
    try {
      await importModule(specifier);
    } catch (error) {
      throw new Error(`${specifier} is installed but failed to load (${(error as Error).message})`);
    }
    // Both native packages register their backend under the name "tensorflow".
    if (!(await tf.setBackend('tensorflow'))) throw new Error(`${specifier} did not initialise`);
  } else if (backend === 'wasm') {
    const wasm = (await importModule('@tensorflow/tfjs-backend-wasm')) as {
      setWasmPaths: (prefix: string) => void;
    };
    // In Node the .wasm binaries are read from the package's dist folder: no network involved.
    wasm.setWasmPaths(wasmDistFolder());
    if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly backend did not initialise');
  } else if (!(await tf.setBackend('cpu'))) {
    throw new Error('the cpu backend did not initialise');
  }
  await tf.ready();
}

/** The folder holding `tfjs-backend-wasm*.wasm`, with a trailing separator as `setWasmPaths` expects. */
export function wasmDistFolder(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

/** Whether `specifier` resolves from this package, without loading it (a native addon loads libtensorflow). */
function packageInstalled(specifier: string): boolean {
  try {
    createRequire(import.meta.url).resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

/** NVIDIA device nodes on Linux; elsewhere trust the package (it fails to load without CUDA). */
export function gpuDevicePresent(): boolean {
  if (process.platform !== 'linux') return true;
  return existsSync('/dev/nvidiactl') || existsSync('/dev/nvidia0');
}
