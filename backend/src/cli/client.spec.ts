import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import type * as shared from '@lien/shared';
import request from 'supertest';
import type * as client from '../../../clients/typescript/lien-api.js';
import {
  LienApiError,
  enrolParent,
  getAlert,
  getMe,
  getParent,
  listAlerts,
  listParents,
  login,
  type LienClient,
} from '../../../clients/typescript/lien-api.js';
import { makeAlert } from '../testing/alerts-factories.js';
import { makeOrganisation } from '../testing/factories.js';
import { makeUserWithPassword, TEST_PASSWORD } from '../testing/identity-factories.js';
import { makeParent } from '../testing/parents-factories.js';
import { CLIENT_PATH, generateClient } from './client-generator.js';
import { startTestApi, stopTestApi, type TestApi } from '../testing/api-spec.js';

/**
 * The client's types come from the OpenAPI document, whose answer schemas are generated from the shared
 * interfaces the app answers. `npm run typecheck` fails here when the generator says something else than the
 * interface (a wrong enum, a missing `nullable`, a number documented as a string).
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const _agree: {
  alertList: Same<client.AlertListResponse, shared.AlertListResponse>;
  alertDetail: Same<client.AlertDetail, shared.AlertDetail>;
  alertEvent: Same<client.AlertEventResponse, shared.AlertEventResponse>;
  alertStreamTicket: Same<client.AlertStreamTicketResponse, shared.AlertStreamTicketResponse>;
  alertStreamMessage: Same<client.AlertStreamMessage, shared.AlertStreamMessage>;
  history: Same<client.ParentHistory, shared.ParentHistory>;
  audit: Same<client.AuditListResponse, shared.AuditListResponse>;
  login: Same<client.LoginResponse, shared.LoginResponse>;
  me: Same<client.MeResponse, shared.MeResponse>;
  totpSetup: Same<client.TotpSetupResponse, shared.TotpSetupResponse>;
  oidcConfig: Same<client.OidcConfigResponse, shared.OidcConfigResponse>;
  oidcLink: Same<client.OidcLinkStartResponse, shared.OidcLinkStartResponse>;
  health: Same<client.HealthReport, shared.HealthReport>;
  outboxEmail: Same<client.OutboxEmail, shared.OutboxEmail>;
  organisation: Same<client.OrganisationSummary, shared.OrganisationSummary>;
  settings: Same<client.OrganisationSettingsResponse, shared.OrganisationSettingsResponse>;
  parentDetail: Same<client.ParentDetail, shared.ParentDetail>;
  parentList: Same<client.ParentListResponse, shared.ParentListResponse>;
  adhoc: Same<client.AdhocInvitationResponse, shared.AdhocInvitationResponse>;
  devOutbox: Same<client.DevOutboxResponse, shared.DevOutboxResponse>;
  questionnaire: Same<client.SubmitQuestionnaireResponse, shared.SubmitQuestionnaireResponse>;
  report: Same<client.ReportSummary, shared.ReportSummary>;
  userList: Same<client.UserListResponse, shared.UserListResponse>;
  user: Same<client.UserSummary, shared.UserSummary>;
  error: Same<client.ApiError, shared.ApiError>;
  rota: Same<client.RotaView, shared.RotaView>;
  referralResource: Same<client.ReferralResourceView, shared.ReferralResourceView>;
} = {
  alertList: true,
  alertDetail: true,
  alertEvent: true,
  alertStreamTicket: true,
  alertStreamMessage: true,
  history: true,
  audit: true,
  login: true,
  me: true,
  totpSetup: true,
  oidcConfig: true,
  oidcLink: true,
  health: true,
  outboxEmail: true,
  organisation: true,
  settings: true,
  parentDetail: true,
  parentList: true,
  adhoc: true,
  devOutbox: true,
  questionnaire: true,
  report: true,
  userList: true,
  user: true,
  error: true,
  rota: true,
  referralResource: true,
};

describe('The generated TypeScript client (real Postgres and Redis)', () => {
  let { environment, api: app, dataSource } = {} as TestApi;
  let baseUrl: string;

  beforeAll(async () => {
    ({ environment, api: app, dataSource } = await startTestApi());
    baseUrl = await app.getUrl();
  });

  afterAll(() => stopTestApi({ environment, api: app }));

  it('is committed exactly as `npm run client:generate` writes it from the app’s document', async () => {
    const document = (await request(app.getHttpServer()).get('/api/docs-json').expect(200))
      .body as OpenAPIObject;
    const committed = readFileSync(path.join(process.cwd(), CLIENT_PATH), 'utf8');
    // On a failure: run `npm run client:generate` and commit clients/typescript/lien-api.ts.
    expect(generateClient(document, process.cwd())).toBe(committed);
  });

  it('signs in, enrols a parent, lists parents and alerts, and reads an alert, typed end to end', async () => {
    const organisation = await makeOrganisation(dataSource);
    const user = await makeUserWithPassword(dataSource, {
      organisationId: organisation.id,
      role: 'professional',
    });
    const anonymous: LienClient = { baseUrl };

    const session = await login(anonymous, { body: { email: user.email, password: TEST_PASSWORD } });
    expect(session.accessToken).toEqual(expect.any(String));
    const client: LienClient = { baseUrl, token: () => session.accessToken };

    const me = await getMe(client);
    expect(me).toMatchObject({ id: user.id, role: 'professional', organisation: { id: organisation.id } });

    const enrolled = await enrolParent(client, {
      body: {
        firstName: 'Éloïse',
        lastName: 'Dupont',
        phone: '06 12 34 56 78',
        role: 'mother',
        language: 'fr',
        birthDate: '2026-02-26',
        consent: { given: true, textVersion: '2026-01' },
      },
    });
    expect(enrolled).toMatchObject({ firstName: 'Éloïse', phone: '+33612345678', status: 'active' });
    expect(enrolled.invitations.map((invitation) => invitation.wave)).toEqual(['day7', 'day42']);

    const parents = await listParents(client, { query: { q: '+33612345678' } });
    expect(parents.items.map((parent) => parent.id)).toEqual([enrolled.id]);
    expect((await getParent(client, { id: enrolled.id })).id).toBe(enrolled.id);

    const other = await makeParent(dataSource, environment.config, organisation);
    const alert = await makeAlert(dataSource, other, { severity: 'urgent', reasons: ['item10'] });
    const alerts = await listAlerts(client, { query: { severity: 'urgent' } });
    expect(alerts.items.map((item) => [item.id, item.severity, item.reasons])).toEqual([
      [alert.id, 'urgent', ['item10']],
    ]);
    expect(alerts.countsBySeverity.urgent).toBe(1);
    expect((await getAlert(client, { id: alert.id })).parent?.id).toBe(other.id);
  });

  it('throws LienApiError with the house error body on a 4xx', async () => {
    const organisation = await makeOrganisation(dataSource);
    const user = await makeUserWithPassword(dataSource, { organisationId: organisation.id });
    const session = await login({ baseUrl }, { body: { email: user.email, password: TEST_PASSWORD } });
    const client: LienClient = { baseUrl, token: session.accessToken };

    const invalid = await enrolParent(client, {
      body: {
        firstName: 'A',
        lastName: 'B',
        phone: 'not a phone',
        role: 'mother',
        language: 'fr',
        birthDate: '2026-02-26',
        consent: { given: true, textVersion: '2026-01' },
      },
    }).catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(LienApiError);
    expect(invalid).toMatchObject({
      status: 400,
      body: { code: 'invalid_input', details: [{ field: 'phone' }] },
    });

    const missing = await getParent(client, { id: '00000000-0000-4000-8000-000000000000' }).catch(
      (error: unknown) => error,
    );
    expect(missing).toMatchObject({ status: 404, body: { statusCode: 404, code: 'not_found' } });

    const anonymous = await listAlerts({ baseUrl }).catch((error: unknown) => error);
    expect(anonymous).toMatchObject({ status: 401 });
  });
});
