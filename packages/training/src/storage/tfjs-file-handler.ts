import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import type { Tf } from '../backend/tf-backend';

/** File name of the TF.js layers-model topology and weight manifest. */
export const MODEL_JSON = 'model.json';
/** File name of the TF.js weights (one shard). */
export const WEIGHTS_BIN = 'weights.bin';

/**
 * A TF.js IOHandler over a directory: `model.json` (topology + weights manifest) and one
 * `weights.bin`, the same layout `@tensorflow/tfjs-node`'s `file://` handler writes. Plain
 * `@tensorflow/tfjs` has no file-system handler, and tfjs-node is optional.
 */
export function fileSystemHandler(tf: Tf, directory: string): io.IOHandler {
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error('Binary model topologies are not supported; save a layers model');
      }
      const weightData =
        artifacts.weightData === undefined
          ? new ArrayBuffer(0)
          : tf.io.concatenateArrayBuffers(artifacts.weightData);
      const modelJson: io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? 'ktrdr',
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(path.join(directory, WEIGHTS_BIN), new Uint8Array(weightData));
      await writeFile(path.join(directory, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<io.ModelArtifacts> {
      const modelJson = JSON.parse(await readFile(path.join(directory, MODEL_JSON), 'utf8')) as io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = await Promise.all(
          manifest
            .flatMap((group) => group.paths)
            .map(async (file) => {
              // A manifest could name any path; only plain files next to model.json are read.
              if (path.basename(file) !== file)
                throw new Error(`Weights path "${file}" leaves the model directory`);
              const bytes = await readFile(path.join(directory, file));
              return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
            }),
        );
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}
