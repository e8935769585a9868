import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { OrganisationSettings } from '@lien/shared';
import type { OrganisationEntity } from '../modules/organisations/organisation.entity.js';
import type { UserEntity } from '../modules/users/user.entity.js';
import { makeOrganisation, makeUser, signIn } from './factories.js';
import { makeIdentityWorld, type IdentityWorld } from './identity-factories.js';
import { createTestApi, createTestEnvironment, dataSourceOf, type TestEnvironment } from './test-app.js';

/** The field names of a 400's `details`, in order. */
export const detailFields = (body: unknown): string[] =>
  (body as { details: Array<{ field: string }> }).details.map((detail) => detail.field);

/** Calls to `api()` with `token`'s session, the spec's `bearer()` unless told (getters: both are set in `beforeAll`). */
export function signedCalls(api: () => INestApplication, bearer: () => string) {
  const call = (method: 'get' | 'post' | 'patch', path: string, token: string) =>
    request(api().getHttpServer())[method](path).set('Authorization', `Bearer ${token}`);
  return {
    get: (path: string, token = bearer()) => call('get', path, token),
    post: (path: string, body: unknown, token = bearer()) => call('post', path, token).send(body as object),
    patch: (path: string, body: unknown, token = bearer()) => call('patch', path, token).send(body as object),
  };
}

/** Requests to `api` carrying `token`'s session: `signedBy(api, token).patch(path).send(body)`. */
export function signedBy(api: INestApplication, token: string) {
  const call = (method: 'get' | 'post' | 'patch' | 'put' | 'delete') => (path: string) =>
    request(api.getHttpServer())[method](path).auth(token, { type: 'bearer' });
  return {
    get: call('get'),
    post: call('post'),
    patch: call('patch'),
    put: call('put'),
    delete: call('delete'),
  };
}

/** A spec's own database and Redis prefix, the real HTTP API on them, and its DataSource. */
export interface TestApi {
  environment: TestEnvironment;
  api: INestApplication;
  dataSource: DataSource;
}

/** For `beforeAll`: a fresh environment (`env` overrides any configuration variable) and the API on it. */
export async function startTestApi(env: Record<string, string> = {}): Promise<TestApi> {
  const environment = await createTestEnvironment(env);
  try {
    const api = await createTestApi(environment);
    return { environment, api, dataSource: dataSourceOf(api) };
  } catch (error) {
    // The spec never sees this environment: drop its database and queue keys here.
    await environment.teardown();
    throw error;
  }
}

/** For `afterAll`: closes what `startTestApi` opened (what there is of it when `beforeAll` failed half-way). */
export async function stopTestApi(spec: Partial<TestApi>): Promise<void> {
  await spec.api?.close();
  await spec.environment?.teardown();
}

/**
 * For `beforeAll`: `startTestApi` and what `make` adds to the spec (its world, its sessions); when `make` fails, the
 * API is closed here since the spec never sees it. `stopTestApi` closes it.
 */
export async function startTestApiWith<Extra extends object>(
  make: (spec: TestApi) => Promise<Extra>,
): Promise<TestApi & Extra> {
  const spec = await startTestApi();
  try {
    return { ...spec, ...(await make(spec)) };
  } catch (error) {
    await stopTestApi(spec);
    throw error;
  }
}

/** A spec's API with the authorization matrix's world (organisations A, B, C and a session per role) in it. */
export interface IdentityApi extends TestApi {
  world: IdentityWorld;
}

/** For `beforeAll`: `startTestApi` and `makeIdentityWorld` (its organisations with `settings`); `stopTestApi` closes it. */
export function startIdentityApi(settings: Partial<OrganisationSettings> = {}): Promise<IdentityApi> {
  return startTestApiWith(async ({ dataSource, environment }) => ({
    world: await makeIdentityWorld(dataSource, environment.config, settings),
  }));
}

/**
 * An organisation with an org admin and a professional, signed in, and the org admin of a second organisation
 * ("Voisine") that must see nothing of the first's.
 */
export interface TwoOrganisations {
  organisation: OrganisationEntity;
  admin: UserEntity;
  professional: UserEntity;
  adminToken: string;
  token: string;
  outsiderAdminToken: string;
}

/** A spec's API with `makeTwoOrganisations` in it. */
export type TwoOrganisationsApi = TestApi & TwoOrganisations;

/** For `beforeAll`: `startTestApi` and `makeTwoOrganisations`; `stopTestApi` closes it. */
export function startTwoOrganisationsApi(): Promise<TwoOrganisationsApi> {
  return startTestApiWith(makeTwoOrganisations);
}

export async function makeTwoOrganisations({ environment, dataSource }: TestApi): Promise<TwoOrganisations> {
  const organisation = await makeOrganisation(dataSource);
  const other = await makeOrganisation(dataSource, { name: 'Voisine' });
  const admin = await makeUser(dataSource, { organisationId: organisation.id, role: 'org_admin' });
  const professional = await makeUser(dataSource, { organisationId: organisation.id });
  const outsider = await makeUser(dataSource, { organisationId: other.id, role: 'org_admin' });
  return {
    organisation,
    admin,
    professional,
    adminToken: await signIn(dataSource, environment.config, admin),
    token: await signIn(dataSource, environment.config, professional),
    outsiderAdminToken: await signIn(dataSource, environment.config, outsider),
  };
}
