// Kept apart from tf-backend.ts, which imports TF.js's types: what the public types need from there
// must not pull TF.js (and the WebGPU types it references) into a user's type check.

/** TF.js backends, fastest first. `tensorflow-gpu` and `tensorflow` are the native (libtensorflow) ones. */
export const TF_BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
/** One of {@link TF_BACKENDS}. */
export type TfBackendName = (typeof TF_BACKENDS)[number];

/** Environment variable that forces a backend (one of {@link TF_BACKENDS}, or `auto`). */
export const TF_BACKEND_ENV = 'KTRDR_TF_BACKEND';

/** Options of {@link selectTfBackend}. */
export interface TfBackendOptions {
  /** Force a backend; default: `KTRDR_TF_BACKEND`, else `auto` (first that works of {@link TF_BACKENDS}). */
  backend?: TfBackendName | 'auto';
  /** Environment to read `KTRDR_TF_BACKEND` from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /**
   * Module loader for the optional packages (default: dynamic `import`). A seam for tests, which
   * simulate installed or missing native packages with it.
   */
  importModule?: (specifier: string) => Promise<unknown>;
  /** Whether a GPU device is present (default: a check for NVIDIA device nodes). A test seam. */
  gpuPresent?: () => boolean;
  /**
   * Whether a native package is installed, checked without loading it (default: it resolves from
   * here). A test seam, next to `importModule`.
   */
  isInstalled?: (specifier: string) => boolean;
}
