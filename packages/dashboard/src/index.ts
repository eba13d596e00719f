/**
 * The Node side of `@ktrdr/dashboard`: where the built browser app lives, so a server can serve
 * it. `@ktrdr/server` mounts it at {@link DASHBOARD_PATH} beside the API (`createDashboardRouter`);
 * an app that mounts `createApiRouter` itself can serve {@link dashboardAssetsDir} the same way.
 */
export { DASHBOARD_PATH, dashboardAssetsDir, isDashboardBuilt } from './assets-dir';
