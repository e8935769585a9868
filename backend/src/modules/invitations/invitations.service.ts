import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { InvitationsRepository, type ExpiredInvitation } from './invitations.repository.js';

/** Invitations for other features: the planner writes them; this ends them and says which wave keys they use. */
@Injectable()
export class InvitationsService {
  constructor(private readonly invitations: InvitationsRepository) {}

  /** Marks expired, in the caller's transaction, up to `limit` invitations whose link expired unanswered. */
  expireDue(manager: EntityManager, now: Date, limit: number): Promise<ExpiredInvitation[]> {
    return this.invitations.expireDue(manager, now, limit);
  }

  /**
   * The keys among `keys` that invitations of the organisation already carry (a re-screen "<key>-r<n>" counts
   * for its wave), read through the caller's manager: the settings update asks inside its transaction, under the
   * organisation's row lock.
   */
  usedWaveKeys(scope: OrgScope, manager: EntityManager, keys: readonly string[]): Promise<string[]> {
    return this.invitations.usedWaveKeys(manager, scope.organisationId, keys);
  }
}
