/**
 * An Express app of its own that embeds the ktrdr backend API: its routes live beside the app's
 * own, under `/api/v1`, and share its server, middleware and error handling.
 */
import express, { type Express } from 'express';
import type { KtrdrConfig } from '@ktrdr/core';
import type { DataService } from '@ktrdr/data';
import type { TrainingService } from '@ktrdr/training';
// The one place outside the server package that imports it: this is what users of it write.
import { createApiRouter, jsonErrorHandler, jsonNotFoundHandler } from '@ktrdr/server';

/** Options of {@link createApp}. */
export interface AppOptions {
  /** The data path (default: data and training built from the environment, like the `ktrdr-api` bin). */
  data?: DataService;
  /** The training path, alongside `data` (omitted then, the API has no training routes). */
  training?: TrainingService;
  /** Configuration for the default data path. */
  config?: KtrdrConfig;
  /** Protect `/api/v1` with this bearer token (the app's own routes stay public). */
  apiToken?: string;
}

/** The app and what to call when it stops. */
export interface EmbeddingApp {
  app: Express;
  /** Releases what the API router built (IB connections, running loads). */
  close(): Promise<void>;
}

/** Builds the app: `GET /`, `GET /hello`, `POST /echo`, and the ktrdr API under `/api/v1`. */
export function createApp(options: AppOptions = {}): EmbeddingApp {
  const app = express();
  app.disable('x-powered-by');
  // The app parses JSON for its own routes; the API router then uses the parsed bodies as they are.
  app.use(express.json({ limit: '100kb' }));

  app.get('/', (_req, res) => {
    res.json({ app: 'express-embed example', routes: ['/hello', '/echo', '/api/v1/health'] });
  });
  app.get('/hello', (req, res) => {
    const name = typeof req.query['name'] === 'string' ? req.query['name'] : 'world';
    res.json({ message: `Hello, ${name}!` });
  });
  app.post('/echo', (req, res) => {
    res.json({ received: req.body as unknown });
  });

  const api = createApiRouter({
    data: options.data,
    training: options.training,
    config: options.config,
    token: options.apiToken,
  });
  app.use('/api/v1', api);

  // The app's own 404 and errors answer JSON too, with no stack traces.
  app.use(jsonNotFoundHandler);
  app.use(jsonErrorHandler);
  return { app, close: () => api.close() };
}
