import type { HandWrittenRoute } from './openapi-document';

/** The backend API's routes that are plain Express handlers rather than contract routes. */
export const apiHandWrittenRoutes: readonly HandWrittenRoute[] = [
  { method: 'GET', path: '/health', summary: 'Health of the API and its data and training paths' },
  {
    method: 'GET',
    path: '/operations/:operation_id/events',
    summary: "An operation's progress as server-sent events",
    contentType: 'text/event-stream',
  },
  { method: 'GET', path: '/workers', summary: "The queue's workers (empty without a queue)" },
];
