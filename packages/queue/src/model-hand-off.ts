import path from 'node:path';
import { ServiceConnectionError, ValidationError } from '@ktrdr/core';
import { exportModelBundle } from '@ktrdr/training';
import { postToApi } from './api-post';

/** Options of {@link createModelHandOff}. */
export interface ModelHandOffOptions {
  /** The API's base URL, `.../api/v1`: the model goes to its `POST /models/import`. */
  apiUrl: string;
  /** The API's token (`KTRDR_API_TOKEN`), sent as a bearer token when set. */
  token?: string;
  /** This worker's models folder, where its training saved the model. */
  modelsDir: string;
}

/**
 * Gives a finished training's summary, and gives back the summary naming the model as the API
 * stores it.
 */
export type ModelHandOff = (summary: Record<string, unknown>) => Promise<Record<string, unknown>>;

/**
 * For a worker without the API's models folder: packs the model its training saved
 * (`exportModelBundle`) and stores it in the API's model store (`POST /models/import`), which gives
 * it its next version there. The summary's `model` then names the API's copy, and `worker_model`
 * the worker's, which stays where it is. A refused or failed hand-off fails the job with the API's
 * error, saying where the model was kept: the training is not lost silently.
 */
export function createModelHandOff(options: ModelHandOffOptions): ModelHandOff {
  const url = `${options.apiUrl.replace(/\/+$/, '')}/models/import`;
  return async (summary) => {
    const local = summary['model'];
    if (typeof local !== 'string' || local === '') return summary;
    const kept = `the trained model is kept on this worker as ${local}`;
    const directory = path.join(options.modelsDir, ...local.split('/'));
    if (path.relative(options.modelsDir, directory).startsWith('..')) {
      throw new ValidationError(`Model name ${local} is not inside the models folder`);
    }
    const bundle = await exportModelBundle(directory);
    const stored = await postToApi(url, options.token, bundle, 'trained model', kept);
    if (typeof stored['name'] !== 'string') {
      throw new ServiceConnectionError(`POST /models/import answered no model name; ${kept}`);
    }
    return { ...summary, model: stored['name'], worker_model: local };
  };
}
