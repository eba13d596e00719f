import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PayloadTooLargeError, ValidationError } from '@ktrdr/core';
import type { ModelKey } from './model-names';
import { MODEL_FILES, type ModelMetadata, type ModelStore, type StoredModelInfo } from './model-store';
import { SYMBOL_EMBEDDING_JSON } from './tfjs-weights-reader';

/** The `format` of a model bundle. */
export const MODEL_BUNDLE_FORMAT = 'ktrdr-model-bundle';

/** Default cap on a bundle's decoded file bytes (a model is tens of KB; this leaves room to grow). */
export const MAX_MODEL_BUNDLE_BYTES = 8 * 1024 * 1024;

/**
 * The only files a bundle may carry: a version directory's files. Anything else is refused, so an
 * import never writes a name the store did not choose.
 */
export const MODEL_BUNDLE_FILES: readonly string[] = [...Object.values(MODEL_FILES), SYMBOL_EMBEDDING_JSON];

/** One file of a bundle. */
export interface ModelBundleFile {
  /** A file name of {@link MODEL_BUNDLE_FILES} (no folder). */
  name: string;
  /** Contents, base64. */
  data: string;
  /** SHA-256 of the contents, hex: a bundle damaged on the way is refused. */
  sha256: string;
}

/**
 * A trained model as one portable JSON document (ONNX, TF.js and JSON files, base64): how a worker
 * without the API's models folder hands a model back (`POST /api/v1/models/import`).
 */
export interface ModelBundle {
  format: typeof MODEL_BUNDLE_FORMAT;
  version: 1;
  /** Which model this is; the importing store gives it its next version number. */
  key: ModelKey;
  /** The version it had where it was exported. */
  sourceVersion: number;
  files: ModelBundleFile[];
}

/**
 * Packs a model version directory (`{strategy}/{symbol}_{tf}_v{N}`) into a {@link ModelBundle}.
 * @throws ValidationError when the directory is not a complete model version.
 */
export async function exportModelBundle(directory: string): Promise<ModelBundle> {
  const entries = await readdir(directory, { withFileTypes: true });
  const files: ModelBundleFile[] = [];
  for (const entry of entries) {
    if (!MODEL_BUNDLE_FILES.includes(entry.name)) continue;
    const full = path.join(directory, entry.name);
    // Regular files only: a symlink in a models folder is not followed out of it.
    if (!(await lstat(full)).isFile()) continue;
    const data = await readFile(full);
    files.push({ name: entry.name, data: data.toString('base64'), sha256: sha256(data) });
  }
  const metadataFile = files.find((f) => f.name === MODEL_FILES.metadata);
  if (metadataFile === undefined) {
    throw new ValidationError(`Not a complete model version: no ${MODEL_FILES.metadata}`, {
      details: { field: 'directory' },
    });
  }
  const metadata = JSON.parse(Buffer.from(metadataFile.data, 'base64').toString('utf8')) as ModelMetadata;
  return {
    format: MODEL_BUNDLE_FORMAT,
    version: 1,
    key: { strategy: metadata.strategy, symbol: metadata.symbol, timeframe: metadata.timeframe },
    sourceVersion: metadata.version,
    files,
  };
}

/** Options of {@link importModelBundle}. */
export interface ImportModelBundleOptions {
  /** Refuse bundles whose files decode to more bytes than this (default {@link MAX_MODEL_BUNDLE_BYTES}). */
  maxBytes?: number;
}

/**
 * Stores a bundle as the next version of its model in `store`. Everything is checked before
 * anything is written: the format, every file name (only {@link MODEL_BUNDLE_FILES}, each once),
 * the checksums, the size, the JSON files, and that `metadata.json` names the bundle's model. The
 * written version must then load, or it is removed again.
 * @throws ValidationError for a malformed, hostile or corrupt bundle; PayloadTooLargeError for one
 *   over `maxBytes`.
 */
export async function importModelBundle(
  store: ModelStore,
  bundle: unknown,
  options: ImportModelBundleOptions = {},
): Promise<StoredModelInfo> {
  const { key, files } = checkBundle(bundle, options.maxBytes ?? MAX_MODEL_BUNDLE_BYTES);
  return store.saveFiles(key, files);
}

function checkBundle(bundle: unknown, maxBytes: number): { key: ModelKey; files: Map<string, Buffer> } {
  const fail = (message: string, field = 'bundle'): never => {
    throw new ValidationError(`Invalid model bundle: ${message}`, { details: { field } });
  };
  const b = bundle as Partial<ModelBundle> | null;
  if (b === null || typeof b !== 'object') return fail('not an object');
  if (b.format !== MODEL_BUNDLE_FORMAT || b.version !== 1) fail(`not a version-1 ${MODEL_BUNDLE_FORMAT}`);
  const key = b.key;
  if (
    key === undefined ||
    typeof key !== 'object' ||
    typeof key.strategy !== 'string' ||
    typeof key.symbol !== 'string' ||
    typeof key.timeframe !== 'string'
  ) {
    return fail('key must name strategy, symbol and timeframe', 'key');
  }
  if (!Array.isArray(b.files)) return fail('files must be a list', 'files');
  const files = new Map<string, Buffer>();
  let total = 0;
  for (const file of b.files as unknown[]) {
    const f = file as Partial<ModelBundleFile> | null;
    if (f === null || typeof f !== 'object' || typeof f.name !== 'string')
      return fail('a file has no name', 'files');
    // An allow-list, not a sanitiser: `../x`, `/etc/x`, `a/b`, `C:\x` are simply not model files.
    if (!MODEL_BUNDLE_FILES.includes(f.name))
      fail(`unexpected file ${JSON.stringify(f.name.slice(0, 80))}`, 'files');
    if (files.has(f.name)) fail(`file ${f.name} appears twice`, 'files');
    if (typeof f.data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(f.data))
      fail(`${f.name} is not base64`, 'files');
    // Checked on the encoded length first, so a huge bundle is refused before it is decoded.
    total += Math.floor(((f.data as string).length * 3) / 4);
    if (total > maxBytes) {
      throw new PayloadTooLargeError(`Model bundle exceeds ${maxBytes} bytes`, {
        details: { limitBytes: maxBytes },
      });
    }
    const data = Buffer.from(f.data as string, 'base64');
    if (typeof f.sha256 !== 'string' || sha256(data) !== f.sha256.toLowerCase()) {
      fail(`${f.name} does not match its checksum (damaged on the way?)`, 'files');
    }
    if (f.name.endsWith('.json')) {
      try {
        JSON.parse(data.toString('utf8'));
      } catch {
        fail(`${f.name} is not valid JSON`, 'files');
      }
    }
    files.set(f.name, data);
  }
  for (const required of [
    MODEL_FILES.metadata,
    MODEL_FILES.modelJson,
    MODEL_FILES.weights,
    MODEL_FILES.onnx,
  ]) {
    if (!files.has(required)) fail(`${required} is missing`, 'files');
  }
  const metadata = JSON.parse(
    files.get(MODEL_FILES.metadata)!.toString('utf8'),
  ) as Partial<ModelMetadata> | null;
  if (
    metadata === null ||
    typeof metadata !== 'object' ||
    metadata.strategy !== key.strategy ||
    metadata.symbol !== key.symbol ||
    metadata.timeframe !== key.timeframe
  ) {
    fail(`${MODEL_FILES.metadata} does not describe ${key.strategy}/${key.symbol}_${key.timeframe}`, 'files');
  }
  return { key: { strategy: key.strategy, symbol: key.symbol, timeframe: key.timeframe }, files };
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
