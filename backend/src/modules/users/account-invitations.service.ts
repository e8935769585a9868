import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UserSummary } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { scopeOf } from '../../common/auth/scope.js';
import { conflict, isUniqueViolation, notFound } from '../../common/errors.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import type { InviteUserDto } from './dto/users.dto.js';
import { RolePlacement } from './role-placement.service.js';
import { UserLinksService } from './user-links.service.js';
import type { UserEntity } from './user.entity.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

const emailTaken = () => conflict('email_taken', 'An account already uses this email address');

/** New accounts by invitation: the account, then an e-mailed one-time link to choose a password. */
@Injectable()
export class AccountInvitationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly accounts: UsersService,
    private readonly placement: RolePlacement,
    private readonly links: UserLinksService,
    private readonly audit: AuditService,
  ) {}

  /** Creates the account and emails a one-time link to choose a password, all in one transaction. */
  async invite(actor: AuthUser, input: InviteUserDto, context: AuditContext): Promise<UserSummary> {
    const email = input.email.trim().toLowerCase();
    const placement = await this.placement.forInvite(actor, scopeOf(actor), input);
    if (input.rpps) this.placement.assertMayRecordRpps(actor, null);
    const created = await this.dataSource.transaction(async (manager) => {
      if (await this.users.emailTaken(email, manager)) throw emailTaken();
      if (input.rpps && (await this.users.rppsTaken(input.rpps, null, manager))) {
        throw conflict('rpps_taken', 'Another account already has this RPPS number');
      }
      let user: UserEntity;
      try {
        user = await this.users.insert(
          {
            email,
            displayName: input.displayName.trim(),
            role: input.role,
            ...placement,
            rpps: input.rpps ?? null,
            rppsRecordedBy: input.rpps ? actor.id : null,
            passwordHash: null,
            active: true,
          },
          manager,
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw emailTaken();
        throw error;
      }
      await this.links.send(user, 'invitation', manager);
      const auditContext = { ...context, organisationId: placement.organisationId ?? context.organisationId };
      await this.audit.record(
        auditContext,
        { action: 'user.invite', targetType: 'user', targetId: user.id, metadata: { role: user.role } },
        manager,
      );
      if (user.rpps) {
        await this.audit.record(
          auditContext,
          {
            action: 'user.rpps.recorded',
            targetType: 'user',
            targetId: user.id,
            metadata: { cleared: false },
          },
          manager,
        );
      }
      return user.id;
    });
    return this.accounts.get(actor, created);
  }

  /** Sends a fresh invitation link (older links stop working) to an account that has not signed in yet. */
  async resend(actor: AuthUser, id: string, context: AuditContext): Promise<UserSummary> {
    await this.dataSource.transaction(async (manager) => {
      const user = await this.users.findByIdForUpdate(id, scopeOf(actor), manager);
      if (!user) throw notFound('User');
      if (!user.active) throw conflict('user_inactive', 'This account is deactivated');
      if (user.passwordHash || user.oidcSubject)
        throw conflict('already_activated', 'This account already has a password or a linked identity');
      await this.links.send(user, 'invitation', manager);
      await this.audit.record(
        { ...context, organisationId: user.organisationId ?? context.organisationId },
        { action: 'user.invite.resend', targetType: 'user', targetId: user.id },
        manager,
      );
    });
    return this.accounts.get(actor, id);
  }
}
