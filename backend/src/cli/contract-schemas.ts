// The OpenAPI component schemas of the API's answers, generated from the shared contract (`shared/src`), which is
// their one home: `npm run client:generate` writes them to `backend/src/common/contract-schemas.json` (this file
// runs on its own, `node backend/src/cli/contract-schemas.ts`, before the backend is built), and
// `buildOpenApiDocument` merges them into the document. Each field's JSDoc gives its description and the tags
// `@format` (date-time, date, uuid, uri, email), `@example`, `@minimum` and `@maximum`.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** An OpenAPI 3.0 schema, as far as the contract needs one. */
export interface ContractSchema {
  $ref?: string;
  type?: 'string' | 'number' | 'boolean' | 'array' | 'object';
  format?: string;
  enum?: (string | number | boolean)[];
  nullable?: boolean;
  items?: ContractSchema;
  properties?: Record<string, ContractSchema>;
  required?: string[];
  additionalProperties?: boolean | ContractSchema;
  allOf?: ContractSchema[];
  oneOf?: ContractSchema[];
  description?: string;
  example?: unknown;
  minimum?: number;
  maximum?: number;
}

/** The types the routes answer with (a route's `result: '…'`, the error shapes, the live feed's message). */
export const CONTRACT_ROOTS = [
  'AdhocInvitationResponse',
  'AlertDetail',
  'AlertEventResponse',
  'AlertListResponse',
  'AlertStreamMessage',
  'AlertStreamTicketResponse',
  'ApiError',
  'ApiKeyView',
  'AuditListResponse',
  'ContactRequestCreated',
  'ContactRequestIdentity',
  'ContactRequestView',
  'CreatedApiKey',
  'CreatedWebhookEndpoint',
  'DevOutboxResponse',
  'HealthReport',
  'HouseholdResponse',
  'InviteOtherParentResponse',
  'Liveness',
  'LoginResponse',
  'MeResponse',
  'OidcConfigResponse',
  'OidcLinkStartResponse',
  'OperationOutcome',
  'OrganisationSettingsResponse',
  'OrganisationSummary',
  'OutboxEmail',
  'ParentDetail',
  'ParentHistory',
  'ParentListResponse',
  'PasswordResetAccepted',
  'QueueSummary',
  'ReadinessReport',
  'ReferralResourceView',
  'ReportSummary',
  'RotaView',
  'ScreeningSourceStats',
  'ScreeningSourceView',
  'ScreeningSourceWidget',
  'SubmitQuestionnaireResponse',
  'TotpSetupResponse',
  'TotpState',
  'UserListResponse',
  'UserSummary',
  'WebhookDeliveryView',
  'WebhookEndpointView',
] as const;

/** Where a schema is met: the named schema holding it and the property's name, for naming nested objects. */
interface Place {
  owner: string;
  property: string;
  /** The declared type, to keep a union's literals in their source order. */
  node: ts.TypeNode | undefined;
}

const FORMATS = new Set(['date-time', 'date', 'uuid', 'uri', 'email']);
const refTo = (name: string): ContractSchema => ({ $ref: `#/components/schemas/${name}` });
const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * The component schemas of `roots` and of every named type they reach, read from the exports of `entry`.
 * Exported interfaces and type aliases become `$ref`s; an anonymous object met as a property (or as the items of
 * an array property) is named `<Owner><Property>` (`<Owner><Property>Item`); literal unions become inline enums.
 */
export function contractSchemas(
  program: ts.Program,
  entry: string,
  roots: readonly string[],
): Record<string, ContractSchema> {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`${entry} is not in the program`);
  const exported = new Map<string, ts.Symbol>();
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (target.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias))
      exported.set(symbol.name, target);
  }
  /** The exported name of an interface or type alias, when `type` is one (not a structural look-alike). */
  const exportedNameOf = (type: ts.Type): string | undefined => {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    return symbol && exported.get(symbol.name) === symbol ? symbol.name : undefined;
  };

  const schemas: Record<string, ContractSchema> = {};
  const anonymous = new Map<string, ts.Type>();

  const documentation = (symbol: ts.Symbol): string =>
    ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim();

  function named(name: string): ContractSchema {
    if (!(name in schemas)) {
      const symbol = exported.get(name);
      if (!symbol) throw new Error(`The shared contract exports no interface or type named ${name}`);
      schemas[name] = {}; // reserved: a type may reach itself
      const declaration = symbol.declarations?.[0];
      const node = declaration && ts.isTypeAliasDeclaration(declaration) ? declaration.type : undefined;
      schemas[name] = objectSchema(
        checker.getDeclaredTypeOfSymbol(symbol),
        name,
        documentation(symbol),
        node,
      );
    }
    return refTo(name);
  }

  function objectSchema(
    type: ts.Type,
    owner: string,
    description: string,
    node: ts.TypeNode | undefined,
  ): ContractSchema {
    const properties: Record<string, ContractSchema> = {};
    const required: string[] = [];
    for (const property of inSourceOrder(checker.getPropertiesOfType(type), node)) {
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      const node = declaration && ts.isPropertySignature(declaration) ? declaration.type : undefined;
      const propertyType = checker.getNonNullableType(
        declaration
          ? checker.getTypeOfSymbolAtLocation(property, declaration)
          : checker.getTypeOfSymbol(property),
      );
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
      const nullable = unionParts(checker.getTypeOfSymbol(property)).some(isNull);
      const schema = withNull(schemaOf(propertyType, { owner, property: property.name, node }), nullable);
      properties[property.name] = annotated(schema, property);
      if (!optional) required.push(property.name);
    }
    return {
      type: 'object',
      ...(description ? { description } : {}),
      properties,
      ...(required.length ? { required } : {}),
    };
  }

  /** The JSDoc of a property on its schema (a `$ref` keeps its siblings through `allOf`, as OpenAPI 3.0 asks). */
  function annotated(schema: ContractSchema, property: ts.Symbol): ContractSchema {
    const notes: ContractSchema = {};
    const description = documentation(property);
    if (description) notes.description = description;
    for (const tag of property.getJsDocTags(checker)) {
      const text = ts.displayPartsToString(tag.text).trim();
      if (tag.name === 'format') {
        if (!FORMATS.has(text)) throw new Error(`${property.name}: unknown @format ${text}`);
        notes.format = text;
      } else if (tag.name === 'example') notes.example = exampleOf(text, schema);
      else if (tag.name === 'minimum' || tag.name === 'maximum') notes[tag.name] = Number(text);
    }
    if (!Object.keys(notes).length) return schema;
    const { format, ...rest } = notes;
    if (format)
      schema =
        schema.type === 'array' && schema.items
          ? { ...schema, items: { ...schema.items, format } }
          : { ...schema, format };
    return schema.$ref ? { ...rest, allOf: [schema] } : { ...schema, ...rest };
  }

  function exampleOf(text: string, schema: ContractSchema): unknown {
    try {
      const value: unknown = JSON.parse(text);
      // `@example 62100` on a string stays the text "62100".
      return schema.type === 'string' && typeof value !== 'string' ? text : value;
    } catch {
      return text;
    }
  }

  function withNull(schema: ContractSchema, nullable: boolean): ContractSchema {
    if (!nullable) return schema;
    if (schema.$ref) return { nullable: true, allOf: [schema] };
    return { ...schema, nullable: true };
  }

  function schemaOf(type: ts.Type, place: Place): ContractSchema {
    const parts = unionParts(type).filter((part) => !isNull(part) && !(part.flags & ts.TypeFlags.Undefined));
    const nullable = unionParts(type).some(isNull);
    if (parts.length > 1) {
      if (parts.every((part) => part.flags & ts.TypeFlags.BooleanLiteral))
        return withNull({ type: 'boolean' }, nullable);
      if (parts.every((part) => part.isStringLiteral()))
        return withNull({ type: 'string', enum: ordered(parts, place.node) }, nullable);
      if (parts.every((part) => part.isNumberLiteral()))
        return withNull({ type: 'number', enum: ordered(parts, place.node) }, nullable);
      const members = place.node && ts.isUnionTypeNode(place.node) ? place.node.types : [];
      const position = (part: ts.Type): number =>
        members.findIndex((member) => checker.getTypeFromTypeNode(member) === part);
      const inOrder = [...parts].sort((a, b) => position(a) - position(b));
      return withNull(
        { oneOf: inOrder.map((part) => schemaOf(part, { ...place, node: undefined })) },
        nullable,
      );
    }
    const [only] = parts;
    if (!only) return {};
    return withNull(
      singleSchemaOf(only, { ...place, node: place.node && withoutNull(place.node) }),
      nullable,
    );
  }

  /** `T | null` written out: `T`. */
  function withoutNull(node: ts.TypeNode): ts.TypeNode {
    if (!ts.isUnionTypeNode(node)) return node;
    const kept = node.types.filter(
      (member) =>
        member.kind !== ts.SyntaxKind.UndefinedKeyword &&
        !(ts.isLiteralTypeNode(member) && member.literal.kind === ts.SyntaxKind.NullKeyword),
    );
    return kept.length === 1 && kept[0] ? kept[0] : node;
  }

  function singleSchemaOf(type: ts.Type, place: Place): ContractSchema {
    if (type.flags & ts.TypeFlags.StringLike)
      return type.isStringLiteral() ? { type: 'string', enum: [type.value] } : { type: 'string' };
    if (type.flags & ts.TypeFlags.NumberLike)
      return type.isNumberLiteral() ? { type: 'number', enum: [type.value] } : { type: 'number' };
    if (type.flags & ts.TypeFlags.BooleanLike) return { type: 'boolean' };
    if (type.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) return {};
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      const [element] = checker.getTypeArguments(type as ts.TypeReference);
      const node = place.node && ts.isArrayTypeNode(place.node) ? place.node.elementType : undefined;
      const items = element ? schemaOf(element, { ...place, property: `${place.property}Item`, node }) : {};
      return { type: 'array', items };
    }
    const name = exportedNameOf(type);
    if (name) return named(name);
    const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
    if (index && !checker.getPropertiesOfType(type).length) {
      const value = index.type;
      if (value.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any))
        return { type: 'object', additionalProperties: true };
      // A map's values are described where the map is: inline.
      const { description: _description, ...inline } = objectOrSchema(value, place);
      return { type: 'object', additionalProperties: inline };
    }
    const anonymousName = `${place.owner}${pascal(place.property)}`;
    const known = anonymous.get(anonymousName);
    if (known && known !== type) throw new Error(`Two different shapes would be named ${anonymousName}`);
    if (!known) {
      anonymous.set(anonymousName, type);
      schemas[anonymousName] = {};
      schemas[anonymousName] = objectSchema(type, anonymousName, '', place.node);
    }
    return refTo(anonymousName);
  }

  /** A record's value: an anonymous object stays inline, anything else is described as usual. */
  function objectOrSchema(type: ts.Type, place: Place): ContractSchema {
    const plain = checker.getNonNullableType(type);
    const isObject =
      plain.flags & ts.TypeFlags.Object &&
      !checker.isArrayType(plain) &&
      !exportedNameOf(plain) &&
      checker.getPropertiesOfType(plain).length > 0;
    return isObject
      ? objectSchema(plain, place.owner, '', undefined)
      : schemaOf(type, { ...place, node: undefined });
  }

  /** The keys of a `Record<'a' | 'b', T>` in the order the union lists them (the checker's follows type ids). */
  function inSourceOrder(properties: ts.Symbol[], node: ts.TypeNode | undefined): ts.Symbol[] {
    const keys = node ? recordKeysOf(node) : [];
    if (!keys.length) return properties;
    const rank = (property: ts.Symbol): number => {
      const found = keys.indexOf(property.name);
      return found < 0 ? keys.length : found;
    };
    return [...properties].sort((a, b) => rank(a) - rank(b));
  }

  function recordKeysOf(node: ts.TypeNode): (string | number)[] {
    if (!ts.isTypeReferenceNode(node)) return [];
    const [keys] = node.typeArguments ?? [];
    if (ts.isIdentifier(node.typeName) && node.typeName.text === 'Record' && keys) return literalsOf(keys);
    const aliased = aliasedTypeOf(node);
    return aliased ? recordKeysOf(aliased) : [];
  }

  function unionParts(type: ts.Type): ts.Type[] {
    return type.isUnion() ? type.types : [type];
  }

  function isNull(type: ts.Type): boolean {
    return (type.flags & ts.TypeFlags.Null) !== 0;
  }

  /** Literal values in their source order (the checker's own order follows type ids, not the source). */
  function ordered(parts: ts.Type[], node: ts.TypeNode | undefined): (string | number)[] {
    const values = parts.map((part) => (part as ts.LiteralType).value as string | number);
    const order = node ? literalsOf(node) : [];
    const rank = (value: string | number): number => {
      const found = order.indexOf(value);
      return found < 0 ? order.length + values.indexOf(value) : found;
    };
    return [...values].sort((a, b) => rank(a) - rank(b));
  }

  function literalsOf(node: ts.Node): (string | number)[] {
    if (ts.isParenthesizedTypeNode(node) || ts.isTypeOperatorNode(node)) return literalsOf(node.type);
    if (ts.isUnionTypeNode(node)) return node.types.flatMap(literalsOf);
    if (ts.isLiteralTypeNode(node)) {
      if (ts.isStringLiteral(node.literal)) return [node.literal.text];
      if (ts.isNumericLiteral(node.literal)) return [Number(node.literal.text)];
      return [];
    }
    if (ts.isTypeReferenceNode(node)) {
      const aliased = aliasedTypeOf(node);
      return aliased ? literalsOf(aliased) : [];
    }
    if (ts.isIndexedAccessTypeNode(node)) {
      // `(typeof LIST)[number]`: the list's elements.
      const list = ts.isParenthesizedTypeNode(node.objectType) ? node.objectType.type : node.objectType;
      if (ts.isTypeQueryNode(list) && node.indexType.kind === ts.SyntaxKind.NumberKeyword) {
        const declaration = declarationOf(list.exprName);
        return declaration ? elementsOf(declaration) : [];
      }
      // `Union['type']`: the `type` of each member of the union, in order.
      if (ts.isLiteralTypeNode(node.indexType) && ts.isStringLiteral(node.indexType.literal)) {
        const key = node.indexType.literal.text;
        return membersOf(node.objectType).flatMap((member) => {
          const field = ts.isTypeLiteralNode(member)
            ? member.members.find((item) => item.name && ts.isIdentifier(item.name) && item.name.text === key)
            : undefined;
          return field && ts.isPropertySignature(field) && field.type ? literalsOf(field.type) : [];
        });
      }
    }
    return [];
  }

  function membersOf(node: ts.TypeNode): ts.TypeNode[] {
    if (ts.isParenthesizedTypeNode(node)) return membersOf(node.type);
    if (ts.isUnionTypeNode(node)) return [...node.types];
    if (ts.isTypeReferenceNode(node)) {
      const aliased = aliasedTypeOf(node);
      return aliased ? membersOf(aliased) : [];
    }
    return [node];
  }

  /** The type a reference to a type alias stands for (`Status` → `'open' | 'closed'`); nothing for other names. */
  function aliasedTypeOf(node: ts.TypeReferenceNode): ts.TypeNode | undefined {
    const declaration = declarationOf(node.typeName);
    return declaration && ts.isTypeAliasDeclaration(declaration) ? declaration.type : undefined;
  }

  function elementsOf(declaration: ts.Declaration): (string | number)[] {
    if (!ts.isVariableDeclaration(declaration) || !declaration.initializer) return [];
    let expression: ts.Expression = declaration.initializer;
    while (
      ts.isAsExpression(expression) ||
      ts.isSatisfiesExpression(expression) ||
      ts.isParenthesizedExpression(expression)
    )
      expression = expression.expression;
    if (!ts.isArrayLiteralExpression(expression)) return [];
    return expression.elements.flatMap((element) => {
      if (ts.isStringLiteral(element)) return [element.text];
      if (ts.isNumericLiteral(element)) return [Number(element.text)];
      if (ts.isSpreadElement(element) && ts.isIdentifier(element.expression)) {
        const spread = declarationOf(element.expression);
        return spread ? elementsOf(spread) : [];
      }
      return [];
    });
  }

  function declarationOf(name: ts.EntityName | ts.Expression): ts.Declaration | undefined {
    let symbol = checker.getSymbolAtLocation(name);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    return symbol?.declarations?.[0];
  }

  for (const root of roots) named(root);
  return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
}

/** Where the schemas are committed, and the contract they are read from, from the repository root. */
export const CONTRACT_SCHEMAS_PATH = 'backend/src/common/contract-schemas.json';
const CONTRACT_ENTRY = 'shared/src/index.ts';

/** The schemas file as committed: generated from the shared contract, then formatted by the repository's Prettier. */
export function generateContractSchemas(root: string): string {
  const entry = path.join(root, CONTRACT_ENTRY);
  const program = ts.createProgram([entry], {
    strict: true,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    noEmit: true,
  });
  const text = `${JSON.stringify(contractSchemas(program, entry, CONTRACT_ROOTS), null, 2)}\n`;
  return formatWithPrettier(root, CONTRACT_SCHEMAS_PATH, text);
}

/**
 * A generated file formatted by the repository's Prettier (its CLI, in a child process: Prettier loads its plugins
 * with dynamic imports, which the CommonJS test runtime cannot do).
 */
export function formatWithPrettier(root: string, filePath: string, text: string): string {
  const prettier = path.join(root, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
  return execFileSync(process.execPath, [prettier, '--stdin-filepath', filePath], {
    cwd: root,
    input: text,
    encoding: 'utf8',
  });
}

// `node backend/src/cli/contract-schemas.ts` (from the repository root): writes the schemas file.
if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === path.resolve('backend/src/cli/contract-schemas.ts')
) {
  const root = process.cwd();
  writeFileSync(path.join(root, CONTRACT_SCHEMAS_PATH), generateContractSchemas(root));
  console.log(`Wrote ${CONTRACT_SCHEMAS_PATH}`);
}
