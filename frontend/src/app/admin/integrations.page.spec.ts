import { HttpTestingController, type TestRequest } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { ApiKeyView, CreatedApiKey, CreatedWebhookEndpoint, WebhookEndpointView } from '@lien/shared';
import { configurePageTestBed } from '../ui/page-test-bed';
import { testIdFinder } from '../ui/spec-helpers';
import { apiKeyRequest, IntegrationsPage } from './integrations.page';

// Component specs compile Material templates on first use: more than jest's default 5 s on a small machine.
jest.setTimeout(20_000);

const KEY: ApiKeyView = {
  id: '5f0c6f8e-2d3b-4f7a-9a51-0a1b2c3d4e5f',
  name: 'Logiciel maternité',
  prefix: 'lien_test_AbCdEfGh',
  scopes: ['parents:enrol'],
  expiresAt: null,
  allowedCidrs: [],
  rateLimitPerMinute: 60,
  ownerUserId: '6f0c6f8e-2d3b-4f7a-9a51-0a1b2c3d4e5f',
  createdAt: '2026-03-02T08:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
};

describe('apiKeyRequest', () => {
  it('leaves empty optional fields out and splits the address list', () => {
    expect(
      apiKeyRequest({ name: ' A ', scopes: ['alerts:read'], expiresOn: '', cidrs: ' ', rate: '' }),
    ).toEqual({
      name: 'A',
      scopes: ['alerts:read'],
    });
    expect(
      apiKeyRequest({
        name: 'B',
        scopes: ['parents:enrol', 'parents:read'],
        expiresOn: '2027-01-31',
        cidrs: '203.0.113.0/24, 2001:db8::/32,',
        rate: '120',
      }),
    ).toEqual({
      name: 'B',
      scopes: ['parents:enrol', 'parents:read'],
      expiresAt: '2027-01-31T00:00:00Z',
      allowedCidrs: ['203.0.113.0/24', '2001:db8::/32'],
      rateLimitPerMinute: 120,
    });
  });
});

describe('IntegrationsPage', () => {
  let fixture: ComponentFixture<IntegrationsPage>;
  let backend: HttpTestingController;

  const element = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const byTestId = testIdFinder(element);
  /** Lets promises and signals run, without waiting for requests the test has not answered yet. */
  async function tick(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    fixture.detectChanges();
  }
  /** Answers a change with `answer`, then the list at `listUrl` it reloads with `list`. */
  async function answerThenReload(
    change: TestRequest,
    answer: object,
    listUrl: string,
    list: object[],
  ): Promise<void> {
    change.flush(answer);
    await tick();
    backend.expectOne(listUrl).flush(list);
    await tick();
  }
  const tickBox = (id: string): void => byTestId(id).querySelector('input')!.click();
  /** Sends the form with that test id once the page has seen its fields: the POST it makes to `url`. */
  async function send(formId: string, url: string): Promise<TestRequest> {
    await tick();
    byTestId(formId).dispatchEvent(new Event('submit'));
    return backend.expectOne({ method: 'POST', url });
  }

  beforeEach(async () => {
    configurePageTestBed([]);
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(IntegrationsPage);
    // Not whenStable(): the list request is pending (a pending task) until the test answers it.
    fixture.detectChanges();
    backend.expectOne('/api/api-keys').flush([]);
    backend.expectOne('/api/webhook-endpoints').flush([]);
    await tick();
  });
  afterEach(() => backend.verify());

  it('creates a key with the chosen scopes, shows it once, and revokes a key', async () => {
    byTestId<HTMLInputElement>('api-key-name').value = 'Logiciel maternité';
    tickBox('api-key-scope-parents:enrol');
    const creation = await send('api-key-form', '/api/api-keys');
    expect(creation.request.body).toEqual({
      name: 'Logiciel maternité',
      scopes: ['parents:enrol'],
      rateLimitPerMinute: 60,
    });
    const created: CreatedApiKey = { ...KEY, key: `${KEY.prefix}${'x'.repeat(35)}` };
    await answerThenReload(creation, created, '/api/api-keys', [KEY]);
    expect(byTestId('api-key-secret').textContent).toContain(created.key);
    // The list shows the prefix only.
    expect(byTestId('api-key-table').textContent).toContain(KEY.prefix);
    expect(byTestId('api-key-table').textContent).not.toContain(created.key);

    byTestId(`api-key-revoke-${KEY.id}`).click();
    const revoked = { ...KEY, revokedAt: KEY.createdAt };
    const revocation = backend.expectOne({ method: 'DELETE', url: `/api/api-keys/${KEY.id}` });
    await answerThenReload(revocation, revoked, '/api/api-keys', [revoked]);
    expect(element().querySelector(`[data-testid="api-key-revoke-${KEY.id}"]`)).toBeNull();
  });

  it('registers a webhook endpoint for the chosen events, shows its secret once, and re-enables a disabled one', async () => {
    byTestId<HTMLInputElement>('webhook-url').value = ' https://partner.example/lien ';
    tickBox('webhook-event-alert.created');
    tickBox('webhook-event-sms.failed');
    const registration = await send('webhook-form', '/api/webhook-endpoints');
    expect(registration.request.body).toEqual({
      url: 'https://partner.example/lien',
      eventTypes: ['alert.created', 'sms.failed'],
    });
    const endpoint: WebhookEndpointView = {
      id: '7f0c6f8e-2d3b-4f7a-9a51-0a1b2c3d4e5f',
      url: 'https://partner.example/lien',
      description: null,
      eventTypes: ['alert.created', 'sms.failed'],
      enabled: false,
      disabledAt: '2026-03-05T08:00:00.000Z',
      failingSince: '2026-03-02T08:00:00.000Z',
      createdAt: '2026-03-01T08:00:00.000Z',
    };
    const created: CreatedWebhookEndpoint = {
      ...endpoint,
      enabled: true,
      secret: 'whsec_c2VjcmV0LXNlY3JldA==',
    };
    await answerThenReload(registration, created, '/api/webhook-endpoints', [endpoint]);
    expect(byTestId('webhook-secret').textContent).toContain(created.secret);
    expect(byTestId('webhook-table').textContent).not.toContain(created.secret);

    byTestId(`webhook-enable-${endpoint.id}`).click();
    const enabled = { ...endpoint, enabled: true };
    const enabling = backend.expectOne({
      method: 'POST',
      url: `/api/webhook-endpoints/${endpoint.id}/enable`,
    });
    await answerThenReload(enabling, enabled, '/api/webhook-endpoints', [enabled]);
    expect(element().querySelector(`[data-testid="webhook-enable-${endpoint.id}"]`)).toBeNull();
  });
});
