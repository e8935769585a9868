import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InvitationsRepository, type ExpiredInvitation } from './invitations.repository.js';

/** Invitations' lifecycle for other features (the planner writes them; this ends them). */
@Injectable()
export class InvitationsService {
  constructor(private readonly invitations: InvitationsRepository) {}

  /** Marks expired, in the caller's transaction, up to `limit` invitations whose link expired unanswered. */
  expireDue(manager: EntityManager, now: Date, limit: number): Promise<ExpiredInvitation[]> {
    return this.invitations.expireDue(manager, now, limit);
  }
}
