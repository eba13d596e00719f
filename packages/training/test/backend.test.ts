import { createRequire } from 'node:module';
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
  const isInstalled = (specifier: string) => !missing.includes(specifier);
  return { importModule, isInstalled, requested };
}

/** True when `specifier` resolves on this machine. */
function installedHere(specifier: string): boolean {
  try {
    createRequire(import.meta.url).resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

describe('selectTfBackend', () => {
  it('falls back to WebAssembly when neither native package is installed', async () => {
    const loader = loaderWithout('@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node');
    const selected = await selectTfBackend({
      env: {},
      importModule: loader.importModule,
      isInstalled: loader.isInstalled,
      gpuPresent: () => true,
    });
    expect(selected.name).toBe('wasm');
    expect(selected.tf.getBackend()).toBe('wasm');
    // Missing packages are found without trying to load them.
    expect(loader.requested).toEqual(['@tensorflow/tfjs-backend-wasm']);
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
      isInstalled: loader.isInstalled,
      gpuPresent: () => false,
    });
    expect(selected.name).toBe('cpu');
    expect(selected.tf.getBackend()).toBe('cpu');
    expect(selected.skipped.map((s) => s.backend)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm']);
  });

  it('says "no GPU device found" only when the GPU package is installed', async () => {
    // The GPU package "installed" (its load would fail here, so it must not be attempted).
    const loader = loaderWithout('@tensorflow/tfjs-node');
    const error = await selectTfBackend({
      backend: 'tensorflow-gpu',
      importModule: loader.importModule,
      isInstalled: () => true,
      gpuPresent: () => false,
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^TF\.js backend "tensorflow-gpu" is not usable: no GPU device found\./,
    );
    // Without a GPU device the GPU package is not even loaded.
    expect(loader.requested).not.toContain('@tensorflow/tfjs-node-gpu');
  });

  it.each([
    ['tensorflow-gpu', '@tensorflow/tfjs-node-gpu'],
    ['tensorflow', '@tensorflow/tfjs-node'],
  ] as const)(
    'KTRDR_TF_BACKEND=%s without %s says it is not installed and how to install it',
    async (backend, pkg) => {
      const loader = loaderWithout(pkg);
      const error = await selectTfBackend({
        env: { [TF_BACKEND_ENV]: backend },
        importModule: loader.importModule,
        isInstalled: loader.isInstalled,
        // No device either: the missing package is still what the user must hear about first.
        gpuPresent: () => false,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceConfigurationError);
      const message = (error as Error).message;
      expect(message).toContain(`${pkg} is not installed. Install it with \`npm install ${pkg}\``);
      expect(message).toContain(`${TF_BACKEND_ENV}=auto`);
      expect(message).not.toContain('no GPU device');
      expect((error as ServiceConfigurationError).details).toMatchObject({
        variable: TF_BACKEND_ENV,
        value: backend,
      });
    },
  );

  it.skipIf(installedHere('@tensorflow/tfjs-node-gpu'))(
    'the reported case on this machine: tensorflow-gpu forced, package absent',
    async () => {
      const error = await selectTfBackend({ env: { [TF_BACKEND_ENV]: 'tensorflow-gpu' } }).catch(
        (e: unknown) => e,
      );
      expect((error as Error).message).toContain('@tensorflow/tfjs-node-gpu is not installed');
    },
  );

  it('says when an installed native package fails to load', async () => {
    const loader = loaderWithout('@tensorflow/tfjs-node');
    const error = await selectTfBackend({
      backend: 'tensorflow',
      importModule: loader.importModule,
      isInstalled: () => true,
    }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('@tensorflow/tfjs-node is installed but failed to load');
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
    const error = await selectTfBackend({
      backend: 'tensorflow',
      importModule: loader.importModule,
      isInstalled: loader.isInstalled,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceConfigurationError);
    expect((error as Error).message).toContain('@tensorflow/tfjs-node is not installed');
    expect((error as ServiceConfigurationError).details).toMatchObject({ variable: TF_BACKEND_ENV });
    expect(() => selectTfBackend({ env: { [TF_BACKEND_ENV]: 'webgpu' } })).toThrow(/KTRDR_TF_BACKEND=webgpu/);
  });
});
