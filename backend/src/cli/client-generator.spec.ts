import type { OpenAPIObject } from '@nestjs/swagger';
import { renderClient } from './client-generator.js';

const errorSchema = {
  type: 'object',
  properties: { statusCode: { type: 'number' }, error: { type: 'string' }, message: { type: 'string' } },
  required: ['statusCode', 'error', 'message'],
};

function documentWith(paths: Record<string, unknown>, schemas: Record<string, unknown> = {}): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 'T', version: '1' },
    paths,
    components: { schemas: { ApiError: errorSchema, ...schemas } },
  } as unknown as OpenAPIObject;
}

const squash = (text: string): string => text.replace(/\s+/g, ' ');

describe('renderClient', () => {
  it('turns schema components into types: nullable refs, unions, enums, maps, quoted names', () => {
    const text = squash(
      renderClient(
        documentWith(
          {},
          {
            Next: { type: 'object', properties: { at: { type: 'string' } }, required: ['at'] },
            Thing: {
              type: 'object',
              properties: {
                next: { nullable: true, allOf: [{ $ref: '#/components/schemas/Next' }] },
                kind: { enum: ['a', 'b'] },
                entries: {
                  type: 'array',
                  items: { oneOf: [{ $ref: '#/components/schemas/Next' }, { type: 'string' }] },
                },
                counts: { type: 'object', additionalProperties: { type: 'number' } },
                'x-id': { type: 'integer' },
              },
              required: ['next', 'kind', 'entries'],
            },
          },
        ),
      ),
    );
    expect(text).toContain(
      'export interface Thing { next: Next | null; kind: "a" | "b"; entries: (Next | string)[]; counts?: Record<string, number>; "x-id"?: number; }',
    );
    expect(text).toContain('export interface ApiError {');
  });

  it('writes one function per operation with path, query and body, and the right way to read the answer', () => {
    const text = squash(
      renderClient(
        documentWith({
          '/api/things/{id}': {
            get: {
              operationId: 'getThing',
              summary: 'One thing',
              parameters: [
                { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
                { name: 'page', in: 'query', required: false, schema: { type: 'number' } },
              ],
              responses: {
                '200': {
                  description: 'ok',
                  content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
                },
              },
            },
            delete: {
              operationId: 'deleteThing',
              parameters: [{ name: 'id', in: 'path', required: true }],
              responses: { '204': { description: 'gone' } },
            },
          },
          '/api/things.csv': {
            post: {
              operationId: 'exportThings',
              requestBody: {
                required: true,
                content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
              },
              responses: {
                '200': { description: 'csv', content: { 'text/csv': { schema: { type: 'string' } } } },
              },
            },
          },
          '/api/things/stream': {
            get: {
              operationId: 'streamThings',
              responses: {
                '200': {
                  description: 'sse',
                  content: { 'text/event-stream': { schema: { type: 'string' } } },
                },
              },
            },
          },
        }),
      ),
    );
    expect(text).toContain(
      'export function getThing(client: LienClient, params: { id: string; query?: { page?: number; }; }): Promise<ApiError>',
    );
    expect(text).toContain(
      "path: `/api/things/${encodeURIComponent(params.id)}`, query: params.query, read: 'json'",
    );
    expect(text).toContain(
      'export function deleteThing(client: LienClient, params: { id: string; }): Promise<void>',
    );
    expect(text).toContain("read: 'none'");
    expect(text).toContain(
      'export function exportThings(client: LienClient, params: { body: ApiError; }): Promise<string>',
    );
    expect(text).toContain("body: params.body, bodyType: 'application/json', read: 'text'");
    expect(text).toContain('export function streamThings(client: LienClient): Promise<Response>');
  });

  it('refuses a document without the shared error schema', () => {
    expect(() => renderClient({ ...documentWith({}), components: { schemas: {} } })).toThrow(/ApiError/);
  });
});
