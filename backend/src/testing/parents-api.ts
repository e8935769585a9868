import type { INestApplication } from '@nestjs/common';
import type { OrganisationSettings, ParentDetail } from '@lien/shared';
import type { OrganisationEntity } from '../modules/organisations/organisation.entity.js';
import type { UserEntity } from '../modules/users/user.entity.js';
import { signedBy, startTestApiWith, type TestApi } from './api-spec.js';
import { makeOrganisation, makeUser, signIn } from './factories.js';

/**
 * A parents spec's world: an organisation with a signed-in professional who enrols, and a second organisation
 * (Maternité de Metz, 57) whose professional must see nothing of the first's parents.
 */
export interface ParentsWorld {
  organisation: OrganisationEntity;
  professional: UserEntity;
  token: string;
  other: OrganisationEntity;
  otherProfessional: UserEntity;
  otherToken: string;
}

/** What a spec tunes in its `ParentsWorld`: its organisation's settings, its professional's fields. */
export interface ParentsWorldOptions {
  settings?: Partial<OrganisationSettings>;
  professional?: Partial<UserEntity>;
}

/** A spec's API with a `ParentsWorld` in it. */
export interface ParentsApi extends TestApi {
  world: ParentsWorld;
}

/**
 * For `beforeAll`: `startTestApi` and a `ParentsWorld` (`settings` for its organisation, `professional` overrides for
 * its professional); `stopTestApi` closes it.
 */
export function startParentsApi(options: ParentsWorldOptions = {}): Promise<ParentsApi> {
  return startTestApiWith(async ({ dataSource, environment }) => {
    const organisation = await makeOrganisation(dataSource, { settings: options.settings ?? {} });
    const other = await makeOrganisation(dataSource, { name: 'Maternité de Metz', departement: '57' });
    const otherProfessional = await makeUser(dataSource, { organisationId: other.id });
    const professional = await makeUser(dataSource, {
      organisationId: organisation.id,
      ...options.professional,
    });
    const world: ParentsWorld = {
      organisation,
      professional,
      token: await signIn(dataSource, environment.config, professional),
      other,
      otherProfessional,
      otherToken: await signIn(dataSource, environment.config, otherProfessional),
    };
    return { world };
  });
}

/** POST /api/parents as `token`'s user, answered 201: the enrolled parent. */
export async function enrolParent(
  app: INestApplication,
  token: string,
  body: Record<string, unknown>,
): Promise<ParentDetail> {
  return (await signedBy(app, token).post('/api/parents').send(body).expect(201)).body as ParentDetail;
}

/** Distinct mobile numbers in national format (`<prefix> 11 34 56`, `<prefix> 12 34 56`…), one a call. */
export function mobileSequence(prefix: string): () => string {
  let count = 0;
  return () => `${prefix} ${String(10 + (count += 1)).padStart(2, '0')} 34 56`;
}
