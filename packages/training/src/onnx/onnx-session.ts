import { availableParallelism } from 'node:os';
import { ServiceConfigurationError } from '@ktrdr/core';
import type * as OrtNamespace from 'onnxruntime-node';
import type { InferenceSession } from 'onnxruntime-node';
import { ONNX_INPUT, ONNX_OUTPUT, ONNX_SYMBOL_INPUT } from './onnx-export';

type Ort = typeof OrtNamespace;

let ortPromise: Promise<Ort> | undefined;

/** True when `error` says `onnxruntime-node` itself is not installed (ESM or CommonJS loader). */
function isAbsent(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    /'onnxruntime-node'/.test((error as Error).message)
  );
}

/**
 * `onnxruntime-node`, imported on first use: loading its native library costs tens of
 * milliseconds and memory that training-only processes should not pay. It is an optional peer
 * dependency (its install script would download CUDA binaries), so it may be absent:
 * {@link onnxRuntimeInstalled} tells.
 *
 * @throws ServiceConfigurationError when it is absent or cannot load (`details.reason`:
 * `absent` or `load_failed`).
 */
export function loadOnnxRuntime(): Promise<Ort> {
  ortPromise ??= import('onnxruntime-node').then(
    (module) => ((module as { default?: Ort }).default ?? module) as Ort,
    (error: unknown) => {
      ortPromise = undefined;
      const absent = isAbsent(error);
      throw new ServiceConfigurationError(
        absent
          ? 'onnxruntime-node is not installed: install it (npm install onnxruntime-node) or predict with runtime "fused" or "tfjs"'
          : `onnxruntime-node could not be loaded (${(error as Error).message}); reinstall it or predict with runtime "fused" or "tfjs"`,
        {
          cause: error,
          details: { package: 'onnxruntime-node', reason: absent ? 'absent' : 'load_failed' },
        },
      );
    },
  );
  return ortPromise;
}

/**
 * False when `onnxruntime-node` is not installed; true when it loads. A copy that is installed but
 * fails to load is an error (the ServiceConfigurationError of {@link loadOnnxRuntime}), not "absent":
 * a broken install is worth fixing rather than silently working around.
 */
export async function onnxRuntimeInstalled(): Promise<boolean> {
  try {
    await loadOnnxRuntime();
    return true;
  } catch (error) {
    if ((error as { details?: { reason?: unknown } }).details?.reason === 'absent') return false;
    throw error;
  }
}

/** Options of {@link OnnxMlpSession.create}. */
export interface OnnxSessionOptions {
  /** Threads inside one operator (default: the CPU cores Node reports, `os.availableParallelism()`). */
  intraOpThreads?: number;
  /**
   * Let idle intra-op threads spin-wait for the next operator (default false). Spinning wins a few
   * microseconds on an idle machine but burns a core per thread between calls, and on a busy one it
   * competes with the very threads it waits for: at batch 1024 on 2 shared cores, 2 spinning threads
   * ran at 1.4-3.8 M rows/s, 2 passive ones at 4.6-6.3 M (bench/infer, see bench/RESULTS.md).
   */
  allowSpinning?: boolean;
}

/** The session options every session is opened with: see {@link OnnxSessionOptions}. */
export function onnxSessionOptions(
  options: OnnxSessionOptions = {},
): OrtNamespace.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: options.intraOpThreads ?? availableParallelism(),
    // One operator at a time: the graph is a chain, so parallel execution would only add scheduling.
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: options.allowSpinning === true ? '1' : '0' } } },
  };
}

/** An ONNX Runtime session over an exported MLP: float32 `[rows, features]` in, `[rows, 3]` probabilities out. */
export class OnnxMlpSession {
  private constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
  ) {}

  /** Opens a session from `model.onnx` bytes or a file path, with {@link onnxSessionOptions}. */
  static async create(model: Uint8Array | string, options: OnnxSessionOptions = {}): Promise<OnnxMlpSession> {
    const ort = await loadOnnxRuntime();
    const sessionOptions = onnxSessionOptions(options);
    const session =
      typeof model === 'string'
        ? await ort.InferenceSession.create(model, sessionOptions)
        : await ort.InferenceSession.create(model, sessionOptions);
    return new OnnxMlpSession(ort, session);
  }

  /**
   * Class probabilities of `rows` rows of `features` values each, row-major; `symbols` (each row's
   * symbol index) for a model with a symbol embedding.
   */
  run(x: Float32Array, rows: number, features: number, symbols?: Int32Array): Promise<Float32Array> {
    return this.runWith(x, [rows, features], rows, symbols);
  }

  private async runWith(
    x: Float32Array,
    dims: number[],
    rows: number,
    symbols?: Int32Array,
  ): Promise<Float32Array> {
    // The tensor wraps `x` without copying it.
    const input = new this.ort.Tensor('float32', x, dims);
    const feeds: Record<string, OrtNamespace.Tensor> = { [ONNX_INPUT]: input };
    if (symbols !== undefined) {
      feeds[ONNX_SYMBOL_INPUT] = new this.ort.Tensor('int64', BigInt64Array.from(symbols, BigInt), [rows]);
    }
    const output = await this.session.run(feeds);
    const probabilities = output[ONNX_OUTPUT];
    if (probabilities === undefined) throw new Error(`ONNX model has no "${ONNX_OUTPUT}" output`);
    const data = probabilities.data as Float32Array;
    input.dispose();
    return data;
  }

  /**
   * {@link OnnxMlpSession.run} for a graph exported with `columnar: true`: `x` holds `features`
   * columns of `rows` values each, one after another.
   */
  runColumns(x: Float32Array, rows: number, features: number, symbols?: Int32Array): Promise<Float32Array> {
    return this.runWith(x, [features, rows], rows, symbols);
  }

  /** Releases the native session. */
  async close(): Promise<void> {
    await this.session.release();
  }
}
