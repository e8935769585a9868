import request from 'supertest';
import {
  DEFAULT_ORGANISATION_SETTINGS,
  getEpdsInstrument,
  scoreEpds,
  SUPPORTED_EPDS_LANGUAGES,
} from '@lien/shared';
import { makeAlertParent } from '../../testing/alerts-factories.js';
import { makeOrganisation, makeUser, signIn, signInNewUser } from '../../testing/factories.js';
import { fhirBundleValidationErrors, fhirValidationErrors } from '../../testing/fhir-validation.js';
import {
  answerInvitation,
  answersWorth,
  makeLinkedInvitation,
} from '../../testing/questionnaire-factories.js';
import { AlertEntity } from '../alerts/alert.entity.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import type { ParentEntity } from '../parents/parent.entity.js';
import type { ResponseEntity } from '../questionnaire/response.entity.js';
import { startTestApi, stopTestApi, type TestApi } from '../../testing/api-spec.js';

const ITEM10_POSITIVE = answersWorth([1, 2, 2, 1, 1, 2, 1, 2, 1, 2]);
const LOW = answersWorth([0, 0, 0, 1, 0, 0, 0, 1, 0, 0]);

interface Bundle {
  resourceType: string;
  type: string;
  total: number;
  link: { relation: string; url: string }[];
  entry?: { fullUrl: string; resource: { resourceType: string; id: string; [key: string]: unknown } }[];
}

describe('FHIR R4 API (real Postgres)', () => {
  let { environment, api: app, dataSource } = {} as TestApi;
  let organisation: OrganisationEntity;
  let parent: ParentEntity;
  let response: ResponseEntity;
  let alert: AlertEntity;
  let professional: string;
  let outsider: string;
  let coordinator: string;
  let platformAdmin: string;
  let professionalId: string;

  const get = (path: string, token?: string) => {
    const call = request(app.getHttpServer()).get(path);
    return token ? call.set('Authorization', `Bearer ${token}`) : call;
  };

  beforeAll(async () => {
    ({ environment, api: app, dataSource } = await startTestApi());
    organisation = await makeOrganisation(dataSource);
    const other = await makeOrganisation(dataSource, { name: 'Maternité de Metz', departement: '57' });
    const user = await makeUser(dataSource, { role: 'professional', organisationId: organisation.id });
    professionalId = user.id;
    professional = await signIn(dataSource, environment.config, user);
    outsider = await signInNewUser(dataSource, environment.config, {
      role: 'org_admin',
      organisationId: other.id,
    });
    coordinator = await signInNewUser(dataSource, environment.config, {
      role: 'coordinator',
      territoryDepartements: ['62'],
    });
    platformAdmin = await signInNewUser(dataSource, environment.config, { role: 'platform_admin' });

    parent = await makeAlertParent(dataSource, environment.config, {
      organisationId: organisation.id,
      firstName: 'Camille',
      lastName: 'Martin',
    });
    const { tokens } = await makeLinkedInvitation(dataSource, organisation, { parent });
    response = await answerInvitation(app, tokens[0]!, ITEM10_POSITIVE);
    alert = await dataSource.getRepository(AlertEntity).findOneByOrFail({ parentId: parent.id });
  });
  afterAll(() => stopTestApi({ environment, api: app }));

  const expectFhirJson = (reply: request.Response) =>
    expect(reply.headers['content-type']).toMatch(/^application\/fhir\+json/);
  /** GET `path` (as `token`) answered `status` in FHIR JSON that validates as R4: the reply. */
  const getValidFhir = async (path: string, status: number, token?: string): Promise<request.Response> => {
    const reply = await get(path, token).expect(status);
    expectFhirJson(reply);
    expect(fhirValidationErrors(reply.body)).toEqual([]);
    return reply;
  };

  describe('public', () => {
    it.each(SUPPORTED_EPDS_LANGUAGES)(
      'GET /fhir/Questionnaire/epds-%s: the versioned instrument, valid FHIR R4',
      async (language) => {
        const reply = await getValidFhir(`/fhir/Questionnaire/epds-${language}`, 200);
        const instrument = getEpdsInstrument(language);
        expect(reply.body).toMatchObject({
          resourceType: 'Questionnaire',
          id: `epds-${language}`,
          version: instrument.version,
          language,
          url: `http://lien.test/fhir/Questionnaire/epds-${language}`,
          code: [{ system: 'http://loinc.org', code: '71354-5' }],
        });
        const items = (reply.body as { item: { type: string; text: string }[] }).item;
        expect(items.filter((item) => item.type === 'choice').map((item) => item.text)).toEqual(
          instrument.items.map((item) => item.text),
        );
      },
    );

    it('unknown Questionnaire ids are a 404 OperationOutcome', async () => {
      const reply = await get('/fhir/Questionnaire/epds-de').expect(404);
      expectFhirJson(reply);
      expect(reply.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
      expect(fhirValidationErrors(reply.body)).toEqual([]);
    });

    it('GET /fhir/metadata: a valid CapabilityStatement', async () => {
      const reply = await getValidFhir('/fhir/metadata', 200);
      expect(reply.body).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
    });
  });

  describe('a parent with a real response, item 10 positive', () => {
    it('QuestionnaireResponse read: the answers, instrument version and language, valid', async () => {
      const reply = await getValidFhir(`/fhir/QuestionnaireResponse/${response.id}`, 200, professional);
      expect(reply.body).toMatchObject({
        resourceType: 'QuestionnaireResponse',
        id: response.id,
        language: 'fr',
        questionnaire: `http://lien.test/fhir/Questionnaire/epds-fr|${response.instrumentVersion}`,
        subject: { reference: `Patient/${parent.id}` },
        authored: response.createdAt.toISOString(),
      });
      const items = (reply.body as { item: { answer: { valueCoding?: { code: string } }[] }[] }).item;
      expect(items.slice(0, 10).map((item) => item.answer[0]?.valueCoding?.code)).toEqual(
        ITEM10_POSITIVE.map((answer, index) => `${index + 1}.${answer}`),
      );
    });

    it('Observation read: the total (LOINC 99046-5), interpretation from the band, derived from the response', async () => {
      const expected = scoreEpds(
        ITEM10_POSITIVE,
        getEpdsInstrument('fr'),
        DEFAULT_ORGANISATION_SETTINGS.thresholds.mother,
        DEFAULT_ORGANISATION_SETTINGS.anxietyThreshold,
      );
      const reply = await get(`/fhir/Observation/${response.id}`, professional).expect(200);
      expect(fhirValidationErrors(reply.body)).toEqual([]);
      expect(reply.body).toMatchObject({
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '99046-5' }] },
        valueInteger: expected.total,
        subject: { reference: `Patient/${parent.id}` },
        derivedFrom: [{ reference: `QuestionnaireResponse/${response.id}` }],
      });
      expect((reply.body as { interpretation: { text: string }[] }).interpretation[0]?.text).toBe(
        `EPDS band: ${expected.band}`,
      );
    });

    it('Flag read: active for item 10, valid', async () => {
      const reply = await get(`/fhir/Flag/${response.id}`, professional).expect(200);
      expect(fhirValidationErrors(reply.body)).toEqual([]);
      expect(reply.body).toMatchObject({
        resourceType: 'Flag',
        status: 'active',
        subject: { reference: `Patient/${parent.id}` },
      });
    });

    it('Task read and search: the open alert, its status following the workflow', async () => {
      const before = await get(`/fhir/Task/${alert.id}`, professional).expect(200);
      expect(fhirValidationErrors(before.body)).toEqual([]);
      expect(before.body).toMatchObject({ resourceType: 'Task', status: 'requested', priority: 'stat' });

      await request(app.getHttpServer())
        .post(`/api/alerts/${alert.id}/events`)
        .set('Authorization', `Bearer ${professional}`)
        .send({ type: 'acknowledge' })
        .expect(201);
      const after = await get(`/fhir/Task/${alert.id}`, professional).expect(200);
      expect(after.body).toMatchObject({
        status: 'accepted',
        businessStatus: { coding: [{ code: 'acknowledged' }] },
      });

      const accepted = await get(`/fhir/Task?patient=${parent.id}&status=accepted`, professional).expect(200);
      expect(fhirBundleValidationErrors(accepted.body as Bundle)).toEqual([]);
      expect((accepted.body as Bundle).total).toBe(1);
      const requested = await get(`/fhir/Task?patient=${parent.id}&status=requested`, professional).expect(
        200,
      );
      expect((requested.body as Bundle).total).toBe(0);
    });

    it('Patient read: identifier and name, audited like the console identity reveal', async () => {
      const reply = await getValidFhir(`/fhir/Patient/${parent.id}`, 200, professional);
      expect(reply.body).toMatchObject({
        resourceType: 'Patient',
        id: parent.id,
        name: [{ family: 'Martin', given: ['Camille'] }],
        identifier: [{ system: 'http://lien.test/fhir/sid/parent', value: parent.id }],
      });
      expect(JSON.stringify(reply.body)).not.toMatch(/\+33/);
      const audit = await dataSource
        .getRepository(AuditEventEntity)
        .findBy({ action: 'parent.read', targetId: parent.id, actorId: professionalId });
      expect(audit).toEqual([
        expect.objectContaining({ organisationId: organisation.id, metadata: { via: 'fhir' } }),
      ]);
    });

    it('searches answer searchset Bundles with a total, valid with every entry', async () => {
      const searches: [string, string][] = [
        [`/fhir/QuestionnaireResponse?patient=${parent.id}&authored=ge2026-01-01`, 'QuestionnaireResponse'],
        [
          `/fhir/Observation?patient=Patient/${parent.id}&date=ge2026-03-01&code=http://loinc.org|99046-5`,
          'Observation',
        ],
        [`/fhir/Flag?patient=${parent.id}`, 'Flag'],
        [`/fhir/Task?patient=${parent.id}`, 'Task'],
      ];
      for (const [path, type] of searches) {
        const reply = await get(path, professional).expect(200);
        expectFhirJson(reply);
        const bundle = reply.body as Bundle;
        expect(fhirBundleValidationErrors(bundle)).toEqual([]);
        expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
        expect(bundle.entry?.map((entry) => entry.resource.resourceType)).toEqual([type]);
        expect(bundle.entry?.[0]?.fullUrl).toBe(
          `http://lien.test/fhir/${type}/${bundle.entry?.[0]?.resource.id}`,
        );
      }
    });

    it('date and code filters exclude what they should', async () => {
      for (const path of [
        `/fhir/QuestionnaireResponse?patient=${parent.id}&authored=lt2026-03-02`,
        `/fhir/QuestionnaireResponse?patient=${parent.id}&authored=gt2026-03-02`,
        `/fhir/Observation?patient=${parent.id}&code=http://loinc.org|44261-6`,
        `/fhir/Observation?patient=${parent.id}&date=2025`,
      ]) {
        const reply = await get(path, professional).expect(200);
        expect({ path, total: (reply.body as Bundle).total }).toEqual({ path, total: 0 });
      }
      const sameDay = await get(
        `/fhir/Observation?patient=${parent.id}&date=2026-03-02`,
        professional,
      ).expect(200);
      expect((sameDay.body as Bundle).total).toBe(1);
    });
  });

  describe('scope and errors', () => {
    it('another organisation gets 404 OperationOutcomes for every id and empty searches', async () => {
      for (const path of [
        `/fhir/Patient/${parent.id}`,
        `/fhir/QuestionnaireResponse/${response.id}`,
        `/fhir/Observation/${response.id}`,
        `/fhir/Flag/${response.id}`,
        `/fhir/Task/${alert.id}`,
      ]) {
        const reply = await get(path, outsider);
        expect({ path, status: reply.status }).toEqual({ path, status: 404 });
        expectFhirJson(reply);
        expect(reply.body).toMatchObject({
          resourceType: 'OperationOutcome',
          issue: [{ code: 'not-found' }],
        });
        expect(fhirValidationErrors(reply.body)).toEqual([]);
      }
      const search = await get(`/fhir/QuestionnaireResponse?patient=${parent.id}`, outsider).expect(200);
      expect((search.body as Bundle).total).toBe(0);
    });

    it('unknown ids (and non-ids) are the same 404 as other organisations', async () => {
      await get('/fhir/Observation/00000000-0000-4000-8000-000000000000', professional).expect(404);
      const reply = await get('/fhir/Patient/not-an-id', professional).expect(404);
      expect(reply.body).toMatchObject({ resourceType: 'OperationOutcome' });
    });

    it('a response without item 10 has an Observation but no Flag', async () => {
      const other = await makeAlertParent(dataSource, environment.config, {
        organisationId: organisation.id,
      });
      const { tokens } = await makeLinkedInvitation(dataSource, organisation, { parent: other });
      const low = await answerInvitation(app, tokens[0]!, LOW);
      await get(`/fhir/Observation/${low.id}`, professional).expect(200);
      await get(`/fhir/Flag/${low.id}`, professional).expect(404);
      const flags = await get(`/fhir/Flag?patient=${other.id}`, professional).expect(200);
      expect((flags.body as Bundle).total).toBe(0);
    });

    it('an unknown search parameter is a 400 OperationOutcome naming it', async () => {
      const reply = await getValidFhir(`/fhir/Observation?patient=${parent.id}&subject=x`, 400, professional);
      expect(reply.body).toMatchObject({
        resourceType: 'OperationOutcome',
        issue: [
          {
            severity: 'error',
            code: 'invalid',
            expression: ['subject'],
            diagnostics: 'unknown_search_parameter',
          },
        ],
      });
      const badDate = await get('/fhir/QuestionnaireResponse?authored=soon', professional).expect(400);
      expect(badDate.body).toMatchObject({
        resourceType: 'OperationOutcome',
        issue: [{ expression: ['authored'] }],
      });
    });

    it('errors of the guard and of unknown routes are OperationOutcomes too (401, 403, 404)', async () => {
      const anonymous = await get(`/fhir/Patient/${parent.id}`).expect(401);
      expectFhirJson(anonymous);
      expect(anonymous.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'login' }] });
      for (const token of [coordinator, platformAdmin]) {
        const refused = await get(`/fhir/QuestionnaireResponse?patient=${parent.id}`, token).expect(403);
        expect(refused.body).toMatchObject({
          resourceType: 'OperationOutcome',
          issue: [{ code: 'forbidden' }],
        });
        await get(`/fhir/Patient/${parent.id}`, token).expect(403);
      }
      const unknown = await get('/fhir/Encounter', professional).expect(404);
      expectFhirJson(unknown);
      expect(fhirValidationErrors(unknown.body)).toEqual([]);
      // The console API keeps the house error shape.
      const house = await get(`/api/parents/${parent.id}`).expect(401);
      expect(house.body).toMatchObject({ statusCode: 401, code: 'invalid_token' });
    });

    it('_count pages with next links until every match was seen once', async () => {
      const paging = await makeOrganisation(dataSource, { name: 'PMI paging' });
      const token = await signInNewUser(dataSource, environment.config, {
        role: 'professional',
        organisationId: paging.id,
      });
      const created: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        const someone = await makeAlertParent(dataSource, environment.config, { organisationId: paging.id });
        const { tokens } = await makeLinkedInvitation(dataSource, paging, { parent: someone });
        created.push((await answerInvitation(app, tokens[0]!, LOW)).id);
      }
      const seen: string[] = [];
      let path: string | undefined = '/fhir/Observation?_count=2&code=99046-5';
      let pages = 0;
      while (path) {
        const reply = await get(path, token).expect(200);
        const bundle = reply.body as Bundle;
        expect(fhirBundleValidationErrors(bundle)).toEqual([]);
        expect(bundle.total).toBe(5);
        expect(bundle.entry?.length ?? 0).toBeLessThanOrEqual(2);
        seen.push(...(bundle.entry ?? []).map((entry) => entry.resource.id));
        const next = bundle.link.find((link) => link.relation === 'next')?.url;
        if (next) expect(next).toContain('code=99046-5');
        path = next?.replace('http://lien.test', '');
        pages += 1;
      }
      expect(pages).toBe(3);
      expect([...seen].sort()).toEqual([...created].sort());
      const totalOnly = await get('/fhir/Observation?_count=0', token).expect(200);
      expect(totalOnly.body).toMatchObject({ total: 5 });
      expect((totalOnly.body as Bundle).entry).toBeUndefined();
      expect(fhirBundleValidationErrors(totalOnly.body as Bundle)).toEqual([]);
    });
  });
});
