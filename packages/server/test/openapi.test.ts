import express, { type Router } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { type ServiceContract, operationsContract } from '@ktrdr/core';
import { dataApiContract, ibHostContract } from '@ktrdr/data';
import {
  type TrainingSessions,
  TrainingService,
  trainingApiContract,
  trainingHostContract,
} from '@ktrdr/training';
import { createApiRouter, createIbHostRouter, createTrainingHostRouter } from '../src/index';
import { toOpenApiPath } from '../src/openapi/openapi-document';
import { startApi } from './support/api-fixture';
import { createFakeSource } from './support/fake-source';
import { Resources, fetchJson } from './support/harness';

const resources = new Resources();
afterEach(() => resources.closeAll());

const METHODS = ['get', 'post', 'put', 'delete', 'patch', 'head', 'options', 'trace'];
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The structural rules of OpenAPI 3.1 a client generator relies on (no validator dependency):
 * required fields, path parameters declared, unique operation ids, responses with descriptions.
 */
function structuralErrors(doc: unknown): string[] {
  const errors: string[] = [];
  if (!isObject(doc)) return ['document is not an object'];
  if (typeof doc['openapi'] !== 'string' || !/^3\.\d+\.\d+$/.test(doc['openapi'])) errors.push('openapi');
  const info = doc['info'];
  if (!isObject(info) || typeof info['title'] !== 'string' || typeof info['version'] !== 'string') {
    errors.push('info.title/version');
  }
  const paths = doc['paths'];
  if (!isObject(paths)) return [...errors, 'paths'];
  const ids = new Set<string>();
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith('/')) errors.push(`${path}: must start with /`);
    if (!isObject(item)) {
      errors.push(`${path}: not an object`);
      continue;
    }
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!METHODS.includes(method)) errors.push(`${where}: unknown method`);
      if (!isObject(op)) {
        errors.push(`${where}: not an object`);
        continue;
      }
      const id = op['operationId'];
      if (id !== undefined) {
        if (typeof id !== 'string' || ids.has(id)) errors.push(`${where}: operationId ${String(id)}`);
        ids.add(id as string);
      }
      const params = (op['parameters'] ?? []) as unknown[];
      if (!Array.isArray(params)) errors.push(`${where}: parameters`);
      for (const p of params) {
        if (
          !isObject(p) ||
          typeof p['name'] !== 'string' ||
          !['path', 'query', 'header', 'cookie'].includes(p['in'] as string)
        ) {
          errors.push(`${where}: malformed parameter`);
        } else if (p['in'] === 'path' && p['required'] !== true) {
          errors.push(`${where}: path parameter ${p['name']} not required`);
        }
      }
      const declared = params
        .filter((p) => isObject(p) && p['in'] === 'path')
        .map((p) => (p as Json)['name']);
      for (const name of templated) {
        if (!declared.includes(name)) errors.push(`${where}: path parameter ${name} undeclared`);
      }
      const body = op['requestBody'];
      if (body !== undefined && (!isObject(body) || !isObject(body['content']))) {
        errors.push(`${where}: requestBody.content`);
      }
      const responses = op['responses'];
      if (!isObject(responses) || Object.keys(responses).length === 0) {
        errors.push(`${where}: responses`);
        continue;
      }
      for (const [code, response] of Object.entries(responses)) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(code)) errors.push(`${where}: response code ${code}`);
        if (!isObject(response) || typeof response['description'] !== 'string') {
          errors.push(`${where}: response ${code} description`);
        }
      }
    }
  }
  return errors;
}

/** `METHOD /path` of every plain Express route of a router (the contract routes are middleware). */
function expressRoutes(router: Router): string[] {
  const out: string[] = [];
  for (const layer of router.stack) {
    const route = layer.route as { path: string; methods?: Record<string, boolean> } | undefined;
    if (route === undefined) continue;
    const methods = Object.keys(route.methods ?? {}).filter((m) => m !== '_all');
    for (const method of methods) out.push(`${method.toUpperCase()} ${toOpenApiPath(route.path)}`);
  }
  return out;
}

function contractRoutes(...contracts: ServiceContract[]): string[] {
  return contracts.flatMap((c) => Object.values(c.routes).map((r) => `${r.method} ${toOpenApiPath(r.path)}`));
}

function documented(doc: Json): string[] {
  return Object.entries(doc['paths'] as Record<string, Json>).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/** Contract routes whose answer schema the generator could not express (fell back to `{}`). */
function untyped(doc: Json, routes: string[]): string[] {
  const paths = doc['paths'] as Record<string, Record<string, Json>>;
  return routes.filter((route) => {
    const [method, path] = route.split(' ') as [string, string];
    const responses = paths[path]?.[method.toLowerCase()]?.['responses'] as Json;
    return JSON.stringify(responses['200']).includes('"schema":{}');
  });
}

async function documentOf(url: string): Promise<Json> {
  const { status, body } = await fetchJson(`${url}/openapi.json`);
  expect(status).toBe(200);
  expect(structuralErrors(body)).toEqual([]);
  return body;
}

describe('OpenAPI documents', () => {
  it('the API documents every route it serves, with schemas from the contracts', async () => {
    const { data, operations } = await startApi(resources);
    const training = resources.add(new TrainingService({ data, operations }), (t) => t.close());
    const router = resources.add(createApiRouter({ data, operations, training }), (r) => r.close());
    const app = express().use('/api/v1', router);
    const { url } = await resources.listen(app);
    const doc = await documentOf(`${url}/api/v1`);
    expect(doc['info']).toMatchObject({ title: 'ktrdr backend API' });
    const served = [
      ...expressRoutes(router),
      ...contractRoutes(dataApiContract, operationsContract, trainingApiContract),
    ];
    expect(served).toContain('GET /operations/{operation_id}/events');
    expect(untyped(doc, contractRoutes(dataApiContract, operationsContract, trainingApiContract))).toEqual(
      [],
    );
    expect(served.filter((r) => !documented(doc).includes(r))).toEqual([]);
    // Schemas come from the contracts: the load body names its fields, path parameters are typed.
    const paths = doc['paths'] as Record<string, Record<string, Json>>;
    const load = JSON.stringify(paths['/data/load']?.['post']?.['requestBody']);
    expect(load).toContain('symbol');
    expect(load).toContain('timeframe');
    const bars = paths['/data/{symbol}/{timeframe}']?.['get']?.['parameters'] as Json[];
    expect(bars.map((p) => `${String(p['in'])}:${String(p['name'])}`)).toEqual(
      expect.arrayContaining(['path:symbol', 'path:timeframe']),
    );
    // The same document every time: built once at mount time.
    expect(await documentOf(`${url}/api/v1`)).toEqual(doc);
  });

  it('the IB host documents its contract and /openapi.json', async () => {
    const router = resources.add(createIbHostRouter({ source: createFakeSource() }), (r) => r.close());
    const { url } = await resources.listen(express().use(router));
    const doc = await documentOf(url);
    const served = [...expressRoutes(router), ...contractRoutes(ibHostContract)];
    expect(served).toContain('GET /openapi.json');
    expect(untyped(doc, contractRoutes(ibHostContract))).toEqual([]);
    expect(served.filter((r) => !documented(doc).includes(r))).toEqual([]);
  });

  it('the training host documents its contract', async () => {
    const sessions = {
      backend: 'cpu',
      activeSessions: 0,
      maxConcurrentSessions: 1,
    } as unknown as TrainingSessions;
    const router = resources.add(createTrainingHostRouter({ sessions }), (r) => r.close());
    const { url } = await resources.listen(express().use(router));
    const doc = await documentOf(url);
    const served = [...expressRoutes(router), ...contractRoutes(trainingHostContract)];
    expect(untyped(doc, contractRoutes(trainingHostContract))).toEqual([]);
    expect(served.filter((r) => !documented(doc).includes(r))).toEqual([]);
  });

  it('the structural check catches a broken document', () => {
    expect(structuralErrors({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {} })).toEqual([]);
    expect(
      structuralErrors({
        openapi: '3.1.0',
        info: { title: 't' },
        paths: { '/a/{id}': { get: { responses: { 200: {} } } } },
      }),
    ).toEqual([
      'info.title/version',
      'GET /a/{id}: path parameter id undeclared',
      'GET /a/{id}: response 200 description',
    ]);
  });
});
