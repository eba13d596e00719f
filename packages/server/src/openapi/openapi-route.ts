import type { RequestHandler } from 'express';
import type { OpenApiDocument } from './openapi-document';

/** Serves a document built once (at mount time): the request path only writes the cached JSON. */
export function openApiRoute(document: OpenApiDocument): RequestHandler {
  const body = JSON.stringify(document);
  return (_req, res) => {
    res.type('application/json').send(body);
  };
}
