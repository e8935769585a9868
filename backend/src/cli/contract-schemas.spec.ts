import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import {
  CONTRACT_SCHEMAS_PATH,
  contractSchemas,
  generateContractSchemas,
  type ContractSchema,
} from './contract-schemas.js';

/** A small contract, compiled in memory: each rule of the generator on one field. */
const FIXTURE = `
export const COLOURS = ['red', 'green', 'blue'] as const;
export type Colour = (typeof COLOURS)[number];
export type Level = 'high' | 'low';

/** A tag on a thing. */
export interface Tag {
  label: string;
}

export interface Thing {
  /**
   * The thing's id.
   * @format uuid
   * @example "6f1c0b9e-0000-4000-8000-000000000000"
   */
  id: string;
  /** @format date-time */
  seenAt: string | null;
  nickname?: string;
  colour: Colour;
  levels: Level[];
  tag: Tag;
  /** The tag it had before. */
  previousTag: Tag | null;
  tags: Tag[];
  counts: Record<string, number>;
  byLevel: Record<Level, number>;
  metadata: Record<string, unknown>;
  /** @minimum 0 @maximum 30 */
  score: number;
  done: boolean;
  size: { width: number; height: number };
  corners: { x: number }[];
  /** @example 62100 */
  postalCode: string;
}

export interface ThingList {
  items: Thing[];
}
`;

function fixtureProgram(): { program: ts.Program; entry: string } {
  const entry = path.resolve('fixture/contract.ts');
  const options: ts.CompilerOptions = { strict: true, target: ts.ScriptTarget.ES2023, noEmit: true };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, ...rest) =>
    path.resolve(fileName) === entry
      ? ts.createSourceFile(fileName, FIXTURE, language)
      : read(fileName, language, ...rest);
  const exists = host.fileExists.bind(host);
  host.fileExists = (fileName) => path.resolve(fileName) === entry || exists(fileName);
  return { program: ts.createProgram([entry], options, host), entry };
}

describe('contractSchemas', () => {
  const { program, entry } = fixtureProgram();
  const schemas = contractSchemas(program, entry, ['ThingList']);
  const thing = schemas.Thing?.properties ?? {};
  const ref = (name: string): ContractSchema => ({ $ref: `#/components/schemas/${name}` });

  it('names the roots, the named types they reach and their anonymous objects, nothing else', () => {
    expect(Object.keys(schemas)).toEqual([
      'Tag',
      'Thing',
      'ThingByLevel',
      'ThingCornersItem',
      'ThingList',
      'ThingSize',
    ]);
    expect(schemas.ThingList).toEqual({
      type: 'object',
      properties: { items: { type: 'array', items: ref('Thing') } },
      required: ['items'],
    });
    expect(schemas.ThingSize?.properties).toEqual({ width: { type: 'number' }, height: { type: 'number' } });
    expect(thing.size).toEqual(ref('ThingSize'));
    expect(thing.corners).toEqual({ type: 'array', items: ref('ThingCornersItem') });
  });

  it('requires every property but the optional ones, and marks `T | null` nullable', () => {
    expect(schemas.Thing?.required).not.toContain('nickname');
    expect(schemas.Thing?.required).toEqual(
      expect.arrayContaining(['id', 'seenAt', 'previousTag', 'colour', 'done']) as unknown,
    );
    expect(thing.nickname).toEqual({ type: 'string' });
    expect(thing.seenAt).toEqual({ type: 'string', nullable: true, format: 'date-time' });
    expect(thing.done).toEqual({ type: 'boolean' });
  });

  it('turns literal unions into inline enums in their source order, `(typeof LIST)[number]` included', () => {
    expect(thing.colour).toEqual({ type: 'string', enum: ['red', 'green', 'blue'] });
    expect(thing.levels).toEqual({ type: 'array', items: { type: 'string', enum: ['high', 'low'] } });
  });

  it('refers to named types, through allOf when the property is nullable or described', () => {
    expect(thing.tag).toEqual(ref('Tag'));
    expect(thing.previousTag).toEqual({
      nullable: true,
      allOf: [ref('Tag')],
      description: 'The tag it had before.',
    });
    expect(thing.tags).toEqual({ type: 'array', items: ref('Tag') });
    expect(schemas.Tag?.description).toBe('A tag on a thing.');
  });

  it('writes maps as additionalProperties, and a Record over literals as its keys', () => {
    expect(thing.counts).toEqual({ type: 'object', additionalProperties: { type: 'number' } });
    expect(thing.metadata).toEqual({ type: 'object', additionalProperties: true });
    expect(thing.byLevel).toEqual(ref('ThingByLevel'));
    expect(schemas.ThingByLevel?.required).toEqual(['high', 'low']);
  });

  it('reads the description, format, example, minimum and maximum from the JSDoc', () => {
    expect(thing.id).toEqual({
      type: 'string',
      format: 'uuid',
      description: "The thing's id.",
      example: '6f1c0b9e-0000-4000-8000-000000000000',
    });
    expect(thing.score).toEqual({ type: 'number', minimum: 0, maximum: 30 });
    expect(thing.postalCode).toEqual({ type: 'string', example: '62100' });
  });

  it('fails on a root the contract does not export', () => {
    expect(() => contractSchemas(program, entry, ['Missing'])).toThrow(
      'The shared contract exports no interface or type named Missing',
    );
  });
});

describe('The committed contract schemas', () => {
  it('are exactly what the shared contract generates', () => {
    const committed = readFileSync(path.join(process.cwd(), CONTRACT_SCHEMAS_PATH), 'utf8');
    const generated = generateContractSchemas(process.cwd());
    if (generated !== committed)
      throw new Error(`${CONTRACT_SCHEMAS_PATH} is stale: run npm run client:generate and commit it`);
    expect(generated).toBe(committed);
  });
});
