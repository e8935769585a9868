import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OrganisationSettings } from '@lien/shared';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AlertEntity } from '../modules/alerts/alert.entity.js';
import type { InvitationEntity } from '../modules/invitations/invitation.entity.js';
import type { OrganisationEntity } from '../modules/organisations/organisation.entity.js';
import { ParentEntity } from '../modules/parents/parent.entity.js';
import type { ResponseEntity } from '../modules/questionnaire/response.entity.js';
import type { UserEntity } from '../modules/users/user.entity.js';
import {
  makeAlertParent,
  makeInvitation,
  openAlertOf,
  startMailStack,
  stopMailStack,
  storeResponse,
  type MailStack,
} from './alerts-factories.js';
import { makeOrganisation, makeUser } from './factories.js';

/** A new parent's fields (`makeAlertParent`'s, the organisation aside). */
export type NewParentFields = Omit<Parameters<typeof makeAlertParent>[2], 'organisationId'>;

/** What `answerAsParent` stored, and the parent's open alert after it (null when none). */
export interface StoredAnswer {
  parent: ParentEntity;
  invitation: InvitationEntity;
  response: ResponseEntity;
  alert: AlertEntity | null;
}

/**
 * A parent of `organisation` answering a fresh invitation with `answers` (see `answersForPoints`), stored as the
 * questionnaire stores it (`storeResponse`, alert rules included): `parent` answers again, or a new parent is made
 * with those fields.
 */
export async function answerAsParent(
  app: INestApplicationContext,
  organisation: OrganisationEntity,
  answers: number[],
  parent: ParentEntity | NewParentFields = {},
): Promise<StoredAnswer> {
  const dataSource = app.get(DataSource);
  const who =
    parent instanceof ParentEntity
      ? parent
      : await makeAlertParent(dataSource, app.get<AppConfig>(APP_CONFIG, { strict: false }), {
          organisationId: organisation.id,
          ...parent,
        });
  const invitation = await makeInvitation(dataSource, who);
  const response = await storeResponse(app, { organisation, parent: who, invitation, answers });
  return { parent: who, invitation, response, alert: await openAlertOf(dataSource, who.id) };
}

/** A mail stack with an organisation whose alerts page astreinte@pmi62.test, and its referent professional. */
export interface OnCallMailStack extends MailStack {
  organisation: OrganisationEntity;
  /** referente@pmi62.test, the parents' referent in these specs. */
  referent: UserEntity;
}

/** For `beforeAll`: `startMailStack` and the organisation (with `settings`) and referent above. */
export async function startOnCallMailStack(
  settings: Partial<OrganisationSettings> = {},
): Promise<OnCallMailStack> {
  const stack = await startMailStack();
  try {
    const organisation = await makeOrganisation(stack.dataSource, {
      settings: { onCallEmail: 'astreinte@pmi62.test', ...settings },
    });
    const referent = await makeUser(stack.dataSource, {
      organisationId: organisation.id,
      email: 'referente@pmi62.test',
    });
    return { ...stack, organisation, referent };
  } catch (error) {
    await stopMailStack(stack);
    throw error;
  }
}
