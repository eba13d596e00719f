import { ServiceConfigurationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { selectTfBackend, TF_BACKEND_ENV } from '../src/backend/tf-backend';

/** A loader in which the named packages are "not installed". */
function loaderWithout(...missing: string[]) {
  const requested: string[] = [];
  const importModule = async (specifier: string): Promise<unknown> => {
    requested.push(specifier);
    if (missing.includes(specifier)) throw new Error(`Cannot find package '${specifier}'`);
    return import(specifier);
  };
  return { importModule, requested };
}

describe('selectTfBackend', () => {
  it('falls back to WebAssembly when neither native package is installed', async () => {
    const loader = loaderWithout('@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node');
    const selected = await selectTfBackend({
      env: {},
      importModule: loader.importModule,
      gpuPresent: () => true,
    });
    expect(selected.name).toBe('wasm');
    expect(selected.tf.getBackend()).toBe('wasm');
    expect(loader.requested).toEqual([
      '@tensorflow/tfjs-node-gpu',
      '@tensorflow/tfjs-node',
      '@tensorflow/tfjs-backend-wasm',
    ]);
    expect(selected.skipped.map((s) => s.backend)).toEqual(['tensorflow-gpu', 'tensorflow']);
    expect(selected.skipped[0]!.reason).toContain('@tensorflow/tfjs-node-gpu is not installed');
  });

  it('falls back to cpu when the WebAssembly backend is unavailable too', async () => {
    const loader = loaderWithout(
      '@tensorflow/tfjs-node-gpu',
      '@tensorflow/tfjs-node',
      '@tensorflow/tfjs-backend-wasm',
    );
    const selected = await selectTfBackend({
      env: {},
      importModule: loader.importModule,
      gpuPresent: () => false,
    });
    expect(selected.name).toBe('cpu');
    expect(selected.tf.getBackend()).toBe('cpu');
    // Without a GPU device the GPU package is not even loaded.
    expect(loader.requested).not.toContain('@tensorflow/tfjs-node-gpu');
    expect(selected.skipped[0]).toEqual({ backend: 'tensorflow-gpu', reason: 'no GPU device found' });
  });

  it('uses the real packages of this machine: tfjs-node is absent here, so WebAssembly', async () => {
    const selected = await selectTfBackend({ env: {} });
    expect(['tensorflow-gpu', 'tensorflow', 'wasm']).toContain(selected.name);
  });

  it(`honours ${TF_BACKEND_ENV} and the backend option`, async () => {
    expect((await selectTfBackend({ env: { [TF_BACKEND_ENV]: 'cpu' } })).name).toBe('cpu');
    expect((await selectTfBackend({ backend: 'wasm', env: { [TF_BACKEND_ENV]: 'cpu' } })).name).toBe('wasm');
  });

  it('explains a forced backend that cannot load, and a bad variable value', async () => {
    const loader = loaderWithout('@tensorflow/tfjs-node');
    const error = await selectTfBackend({ backend: 'tensorflow', importModule: loader.importModule }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceConfigurationError);
    expect((error as Error).message).toContain('@tensorflow/tfjs-node is not installed');
    expect((error as ServiceConfigurationError).details).toMatchObject({ variable: TF_BACKEND_ENV });
    expect(() => selectTfBackend({ env: { [TF_BACKEND_ENV]: 'webgpu' } })).toThrow(/KTRDR_TF_BACKEND=webgpu/);
  });
});
