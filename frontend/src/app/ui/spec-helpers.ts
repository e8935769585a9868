import type { AlertDetail, AlertSummary, ApiError, ApiErrorDetail, OrganisationSummary } from '@lien/shared';
import type { TestRequest } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';

/**
 * For component specs: `byTestId(id, root?)` finds the element with that `data-testid` under `root` (by default
 * the fixture's element, read when called) and fails by naming the id when there is none.
 */
export function testIdFinder(
  element: () => ParentNode,
): <T extends HTMLElement>(id: string, root?: ParentNode) => T {
  return <T extends HTMLElement>(id: string, root: ParentNode = element()): T => {
    const found = root.querySelector<T>(`[data-testid="${id}"]`);
    if (!found) throw new Error(`no ${id}`);
    return found;
  };
}

/**
 * For component specs: `fieldError(id, root?)` is the text of the `mat-error` of the form field holding the
 * element with that test id ('' when it shows none).
 */
function testIdFieldError(element: () => ParentNode): (id: string, root?: ParentNode) => string {
  const byTestId = testIdFinder(element);
  return (id: string, root?: ParentNode): string =>
    byTestId(id, root).closest('mat-form-field')?.querySelector('mat-error')?.textContent ?? '';
}

/** What a component spec reaches its template through, by test id: find, type into, read a field's error. */
export interface TestIdTools {
  byTestId: ReturnType<typeof testIdFinder>;
  type: ReturnType<typeof testIdTyper>;
  fieldError: ReturnType<typeof testIdFieldError>;
}

/** For component specs: the finder, typer (with its `leave` events) and field error reader of one element. */
export function testIdTools(
  element: () => ParentNode,
  leave: readonly ('change' | 'blur')[] = [],
): TestIdTools {
  return {
    byTestId: testIdFinder(element),
    type: testIdTyper(element, leave),
    fieldError: testIdFieldError(element),
  };
}

/** For component specs: which of these test ids stand under `root`; `toEqual([])` says none, naming any found. */
export function shownTestIds(root: ParentNode, ids: readonly string[]): string[] {
  return ids.filter((id) => root.querySelector(`[data-testid="${id}"]`) !== null);
}

/**
 * For specs: an open, moderate alert of 10 March 2026 with nothing done yet (the API's summary), `overrides`
 * on top; a list item or a detail adds its own fields to it.
 */
export function anAlert(overrides: Partial<AlertSummary> = {}): AlertSummary {
  return {
    id: 'a1',
    parentId: 'p1',
    severity: 'moderate',
    reasons: ['moderate_score'],
    status: 'open',
    assigneeId: null,
    acknowledgeDueAt: '2026-03-10T12:00:00Z',
    contactDueAt: '2026-03-12T12:00:00Z',
    acknowledgedAt: null,
    firstContactAt: null,
    escalatedAt: null,
    overdue: false,
    contactAttempts: 0,
    outcome: null,
    createdAt: '2026-03-10T08:00:00Z',
    updatedAt: '2026-03-10T08:00:00Z',
    ...overrides,
  };
}

/**
 * For specs: `anAlert()` as the alert page receives it: no parent, answers, SMS or allowed events yet, only its
 * `created` event; `overrides` on top.
 */
export function anAlertDetail(overrides: Partial<AlertDetail> = {}): AlertDetail {
  return {
    ...anAlert(),
    referredAt: null,
    inCareAt: null,
    closedAt: null,
    allowedEvents: [],
    otherParent: { parentId: null, role: null, enrolled: false, invited: false },
    userNames: {},
    parent: null,
    responses: [],
    sms: [],
    events: [{ id: 'e1', type: 'created', actorId: null, payload: {}, createdAt: '2026-03-10T08:00:00Z' }],
    ...overrides,
  };
}

/**
 * For component specs: `type(id, value, root?)` types into the input or textarea with that test id under `root`
 * (by default the fixture's element): an `input` event, as typing does, then the `leave` events (`change`,
 * `blur`) that a field reading its value when it is left (a date picker, a mobile checked on blur) waits for.
 */
export function testIdTyper(
  element: () => ParentNode,
  leave: readonly ('change' | 'blur')[] = [],
): (id: string, value: string, root?: ParentNode) => void {
  const byTestId = testIdFinder(element);
  return (id: string, value: string, root?: ParentNode): void => {
    const input = byTestId<HTMLInputElement | HTMLTextAreaElement>(id, root);
    input.value = value;
    input.dispatchEvent(new Event('input'));
    for (const event of leave) input.dispatchEvent(new Event(event));
  };
}

/**
 * For component specs: `submit(fields, submitId)` types each value into the field with that test id, lets the
 * fixture see them, then clicks the button with `submitId`: a form filled in and sent as a user does.
 */
export function testIdFormSubmitter(
  fixture: () => ComponentFixture<unknown>,
): (fields: Readonly<Record<string, string>>, submitId: string) => void {
  const element = (): HTMLElement => fixture().nativeElement as HTMLElement;
  const type = testIdTyper(element);
  const byTestId = testIdFinder(element);
  return (fields, submitId) => {
    for (const [id, value] of Object.entries(fields)) type(id, value);
    fixture().detectChanges();
    byTestId(submitId).click();
  };
}

/** For specs: a PMI of the Pas-de-Calais (an organisation as the API lists it), `overrides` on top. */
export function anOrganisation(overrides: Partial<OrganisationSummary> = {}): OrganisationSummary {
  return {
    id: 'o1',
    name: 'PMI de Lens',
    kind: 'pmi',
    departement: '62',
    region: 'Hauts-de-France',
    timeZone: 'Europe/Paris',
    smsSender: 'Lien',
    createdAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

const STATUS_TEXTS = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
} as const;

/** What an API error says besides its status: the message, maybe a code and details. */
export type ApiErrorBody = Pick<ApiError, 'message' | 'code' | 'details'>;

/** For specs: an error body as the API sends one (`statusCode`, `error`, then `body`). */
export function anApiError(status: keyof typeof STATUS_TEXTS, body: ApiErrorBody): ApiError {
  return { statusCode: status, error: STATUS_TEXTS[status], ...body };
}

/** For specs: answers a request with an error as the API sends one. */
export function flushApiError(
  request: TestRequest,
  status: keyof typeof STATUS_TEXTS,
  body: ApiErrorBody,
): void {
  request.flush(anApiError(status, body), { status, statusText: STATUS_TEXTS[status] });
}

/**
 * For specs: answers a request with the API's 400 for bad fields (its `invalidFields`): code `invalid_input`,
 * the fields named once each in the message, every problem in the details.
 */
export function flushBadRequest(request: TestRequest, details: ApiErrorDetail[]): void {
  const fields = [...new Set(details.map((detail) => detail.field))];
  flushApiError(request, 400, {
    message: `Invalid fields: ${fields.join(', ')}`,
    code: 'invalid_input',
    details,
  });
}
