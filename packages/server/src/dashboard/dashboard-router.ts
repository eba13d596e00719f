import express, { Router } from 'express';
import { dashboardAssetsDir, isDashboardBuilt } from '@ktrdr/dashboard';
import { DEFAULT_API_BASE_PATH } from '../server/server-kinds';

/** Options of {@link createDashboardRouter}. */
export interface DashboardRouterOptions {
  /** The built dashboard's folder (default: `@ktrdr/dashboard`'s `dashboardAssetsDir()`). */
  assetsDir?: string;
  /** Where the API is mounted on the same origin (default `/api/v1`), told to the page. */
  apiBasePath?: string;
  /**
   * Whether the API wants a bearer token, told to the page so it asks for one before calling the
   * API; omitted, the page finds out from the API's first answer.
   */
  requiresToken?: boolean;
}

/** `GET /dashboard/server-info.json`: what the page needs to know before its first API call. */
export interface DashboardServerInfo {
  api_base_path: string;
  requires_token?: boolean;
}

// The app loads only its own files and talks to the API with fetch; the API URL can be changed at
// sign-in, so connections may go elsewhere. lightweight-charts styles its canvas inline.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  'connect-src *',
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The web dashboard's static files as an Express router, conventionally mounted at `/dashboard`
 * beside the API at `/api/v1` (which `startServer({ kind: 'api' })` does). Mount it **before** any
 * bearer-token middleware: the files hold no data and no secret, and the page cannot send a token
 * before the user has typed it; every API call it then makes carries the token. Hashed assets are
 * cached for good, `index.html` never. Without a build, it answers 503 saying how to build one.
 */
export function createDashboardRouter(options: DashboardRouterOptions = {}): Router {
  const dir = options.assetsDir ?? dashboardAssetsDir();
  const router = Router();
  router.use((req, res, next) => {
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    res.setHeader('referrer-policy', 'no-referrer');
    // Its assets are relative (`./assets/...`): `/dashboard` must become `/dashboard/`.
    if (req.path === '/' && !req.originalUrl.split('?')[0]!.endsWith('/')) {
      return res.redirect(301, `${req.baseUrl}/`);
    }
    if (isDashboardBuilt(dir)) return next();
    res
      .status(503)
      .type('text/plain')
      .send('The ktrdr dashboard is not built: run `npm run build -w @ktrdr/dashboard`, then reload.\n');
  });
  const info: DashboardServerInfo = {
    api_base_path: options.apiBasePath ?? DEFAULT_API_BASE_PATH,
    requires_token: options.requiresToken,
  };
  router.get('/server-info.json', (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json(info);
  });
  router.use(
    express.static(dir, {
      index: 'index.html',
      redirect: false,
      setHeaders: (res, file) => {
        res.setHeader(
          'cache-control',
          /[\\/]assets[\\/]/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    }),
  );
  return router;
}
