import { applyDecorators, type INestApplication } from '@nestjs/common';
import {
  ApiProduces,
  ApiResponse,
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
  type SchemaObject,
} from '@nestjs/swagger';
import type { ApiError } from '@lien/shared';
import { PARTNER_KEY_SCHEME } from './auth/decorators.js';
// Generated from the shared contract by `npm run client:generate` (see `cli/contract-schemas.ts`).
import contractSchemas from './contract-schemas.json' with { type: 'json' };

/** The name of a schema of the shared contract: `result: 'AlertDetail'` fails to compile on a wrong name. */
export type ContractSchemaName = keyof typeof contractSchemas;

/** A reference to a schema of the shared contract. */
export function schemaRef(name: ContractSchemaName): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 429 | 503;

/** An error answer: its status, or statuses with a route-specific description. */
export type ErrorAnswer = ErrorStatus | Partial<Record<ErrorStatus, string>>;

const ERROR_EXAMPLES: Record<ErrorStatus, ApiError> = {
  400: {
    statusCode: 400,
    error: 'Bad Request',
    code: 'invalid_input',
    message: 'Invalid fields: phone',
    details: [{ field: 'phone', message: 'must be a mobile number' }],
  },
  401: { statusCode: 401, error: 'Unauthorized', code: 'unauthorised', message: 'Sign-in required' },
  403: { statusCode: 403, error: 'Forbidden', code: 'forbidden', message: 'Not allowed for this role' },
  404: { statusCode: 404, error: 'Not Found', code: 'not_found', message: 'Parent not found' },
  409: {
    statusCode: 409,
    error: 'Conflict',
    code: 'conflict',
    message: 'The request conflicts with the current state',
  },
  410: {
    statusCode: 410,
    error: 'Gone',
    code: 'link_expired',
    message: 'This questionnaire link has expired',
  },
  413: { statusCode: 413, error: 'Payload Too Large', message: 'request entity too large' },
  429: {
    statusCode: 429,
    error: 'Too Many Requests',
    code: 'too_many_attempts',
    message: 'Too many attempts; try again later',
    details: { retryAfterSeconds: 60 },
  },
  503: { statusCode: 503, error: 'Service Unavailable', message: 'Service unavailable' },
};

const ERROR_MEANING: Record<ErrorStatus, string> = {
  400: 'Invalid input: `details` names each field at fault',
  401: 'Missing, expired or revoked credentials',
  403: 'Signed in, but the role or scope does not allow this',
  404: 'Not found, or outside the caller’s organisation (existence is never revealed)',
  409: 'Conflicts with the current state (`code` says which rule)',
  410: 'Gone (expired or no longer valid)',
  413: 'Body too large',
  429: 'Too many attempts: wait for the `Retry-After` header (seconds)',
  503: 'A dependency is unavailable',
};

/**
 * Error answers of a route, each the shared `ApiError` schema; routes list them in `@Route`'s `errors`:
 * `errors: [400, 404]`, or with a route-specific description `errors: [{ 409: 'already_answered: …' }]`.
 */
export function ApiErrors(...statuses: ErrorAnswer[]): MethodDecorator & ClassDecorator {
  const described = new Map<ErrorStatus, string>();
  for (const entry of statuses) {
    if (typeof entry === 'number') described.set(entry, ERROR_MEANING[entry]);
    else
      for (const [status, text] of Object.entries(entry))
        described.set(Number(status) as ErrorStatus, text ?? ERROR_MEANING[Number(status) as ErrorStatus]);
  }
  return applyDecorators(
    ...[...described].map(([status, description]) =>
      ApiResponse({
        status,
        description,
        content: { 'application/json': { schema: schemaRef('ApiError'), example: ERROR_EXAMPLES[status] } },
      }),
    ),
  );
}

/** A JSON success answer, a schema of the shared contract: `'AlertDetail'` fails to compile on a wrong name. */
export type JsonResult =
  ContractSchemaName | { schema: ContractSchemaName; isArray?: true; description?: string };

/**
 * A success answer that is not JSON of the shared contract: a page, an export, the event stream, a QR code, a FHIR
 * resource. Its schema is a string (binary for an image) unless `schema` says more.
 */
export interface ContentResult {
  contentType:
    | 'text/html'
    | 'text/csv'
    | 'text/event-stream'
    | 'text/xml'
    | 'image/svg+xml'
    | 'image/png'
    | 'application/fhir+json';
  description: string;
  schema?: SchemaObject;
}

/** No body: 204 whatever the method. */
export interface NoContentResult {
  noContent: string;
}

/** A redirect the handler answers itself (`response.redirect(302, …)`). */
export interface RedirectResult {
  redirect: string;
}

/**
 * The success answer of a route, stated once as `result` in its `@Route(…)` (with `status` when that is not
 * Nest's default): `'AlertDetail'`, `{ schema: 'ApiKeyView', isArray: true }`, `{ contentType: 'text/csv',
 * description }`, `{ noContent: 'Session ended' }` or `{ redirect: 'Redirect to …' }`.
 */
export type RouteResult = JsonResult | ContentResult | NoContentResult | RedirectResult;

/** The success answer at the status the route answers with; `@Route` works out both from its `result`. */
export function ApiSuccess(result: RouteResult, status: number): MethodDecorator {
  if (typeof result === 'string') return ApiAnswer(status, result, 'Success');
  if ('noContent' in result) return ApiResponse({ status, description: result.noContent });
  if ('redirect' in result) return ApiResponse({ status, description: result.redirect });
  if ('contentType' in result) {
    const { contentType, description } = result;
    const schema =
      result.schema ??
      (contentType === 'image/png' ? { type: 'string', format: 'binary' } : { type: 'string' });
    return applyDecorators(
      ApiProduces(contentType),
      ApiResponse({ status, description, content: { [contentType]: { schema } } }),
    );
  }
  const description = result.description ?? 'Success';
  if (!result.isArray) return ApiAnswer(status, result.schema, description);
  return ApiResponse({ status, description, schema: { type: 'array', items: schemaRef(result.schema) } });
}

/**
 * An answer with a schema of the shared contract besides the success and the errors: a health report's 503
 * (`@ApiAnswer(503, 'HealthReport', 'Postgres or Redis does not answer')`).
 */
export function ApiAnswer(status: number, schema: ContractSchemaName, description: string): MethodDecorator {
  return ApiResponse({ status, description, schema: schemaRef(schema) });
}

/**
 * Names of the operations, which are the function names of the generated client. A route not listed here is
 * named `<method><Controller>` (`AlertsController.list` → `listAlerts`); list it to choose a better name.
 */
const OPERATION_IDS: Record<string, string> = {
  'AuditController.list': 'listAuditEvents',
  'HealthController.check': 'getHealth',
  'OrganisationsController.create': 'createOrganisation',
  'OrganisationsController.get': 'getOrganisation',
  'OrganisationsController.update': 'updateOrganisation',
  'OrganisationsController.getSettings': 'getOrganisationSettings',
  'OrganisationsController.patchSettings': 'patchOrganisationSettings',
  'UsersController.invite': 'inviteUser',
  'UsersController.requestPasswordReset': 'requestPasswordReset',
  'UsersController.setPassword': 'setPassword',
  'UsersController.get': 'getUser',
  'UsersController.update': 'updateUser',
  'UsersController.deactivate': 'deactivateUser',
  'UsersController.resendInvitation': 'resendUserInvitation',
  'AuthController.login': 'login',
  'AuthController.refresh': 'refreshSession',
  'AuthController.logout': 'logout',
  'AuthController.me': 'getMe',
  'AuthController.changePassword': 'changePassword',
  'AuthController.setupTotp': 'setupTotp',
  'AuthController.confirmTotp': 'confirmTotp',
  'AuthController.disableTotp': 'disableTotp',
  'AuthController.setupTotpWithEnrolment': 'setupTotpAtSignIn',
  'AuthController.confirmTotpWithEnrolment': 'confirmTotpAtSignIn',
  'OidcController.config': 'getOidcConfig',
  'OidcController.start': 'startOidcSignIn',
  'OidcController.startLink': 'startOidcLink',
  'OidcController.callback': 'oidcCallback',
  'OidcController.exchange': 'exchangeOidcCode',
  'OutboxController.emails': 'listOutboxEmails',
  'DevOutboxController.list': 'listOutboxSms',
  'AlertsController.streamTicket': 'createAlertStreamTicket',
  'AlertsController.stream': 'streamAlerts',
  'AlertsController.detail': 'getAlert',
  'AlertsController.addEvent': 'addAlertEvent',
  'QuestionnaireApiController.submit': 'submitQuestionnaireResponse',
  'ParentsController.enrol': 'enrolParent',
  'ParentsController.get': 'getParent',
  'ParentsController.update': 'updateParent',
  'ParentsController.withdraw': 'withdrawParent',
  'ParentsController.invite': 'sendAdhocInvitation',
  'ParentsController.link': 'linkParentHousehold',
  'ParentsController.history': 'getParentHistory',
  'HouseholdsController.enrol': 'enrolHousehold',
  'AlertOtherParentController.invite': 'inviteAlertOtherParent',
  'PublicContactRequestsController.create': 'createContactRequest',
  'ContactRequestsController.get': 'getContactRequest',
  'ContactRequestsController.identity': 'getContactRequestIdentity',
  'ContactRequestsController.enrol': 'enrolContactRequest',
  'ScreeningSourcesController.create': 'createScreeningSource',
  'ScreeningSourcesController.list': 'listScreeningSources',
  'ScreeningSourcesController.qrSvg': 'getScreeningSourceQrSvg',
  'ScreeningSourcesController.qrPng': 'getScreeningSourceQrPng',
  'ScreeningSourcesController.widget': 'getScreeningSourceWidget',
  'ReportsController.summary': 'getReportSummary',
  'ReportsController.exportCsv': 'exportReportCsv',
};

export function operationIdOf(controllerKey: string, methodKey: string): string {
  return (
    OPERATION_IDS[`${controllerKey}.${methodKey}`] ??
    `${methodKey}${controllerKey.replace(/Controller$/, '')}`
  );
}

/**
 * The OpenAPI document of the app, the same for `/api/docs`, the tests and the client generator: the routes and
 * request DTOs from Nest, the answers' schemas from the shared contract.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Lien API')
      .setDescription(
        'Perinatal mental-health follow-up. Errors always have the `ApiError` shape. ' +
          'Sign in with POST /api/auth/login, then send `Authorization: Bearer <accessToken>`.',
      )
      .setVersion('1')
      .addBearerAuth()
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'lien_live_…',
          description:
            'A partner API key (`lien_live_…`), sent as `Authorization: Bearer <key>`. Only operations listing ' +
            'this scheme accept one, and only a key holding the scope in their `x-api-key-scope`.',
        },
        PARTNER_KEY_SCHEME,
      )
      .build(),
    { operationIdFactory: operationIdOf },
  );
  const requestSchemas = document.components?.schemas ?? {};
  const clash = Object.keys(requestSchemas).find((name) => name in contractSchemas);
  if (clash) throw new Error(`A request DTO and a schema of the shared contract are both named ${clash}`);
  document.components = {
    ...document.components,
    schemas: { ...requestSchemas, ...contractSchemas },
  };
  return document;
}
