import { ChangeDetectionStrategy, Component, computed, inject, signal, viewChild } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { required, email } from '../ui/validators';
import { firstValueFrom } from 'rxjs';
import type { ApiError, InviteUserRequest, UserRole, UserStatus, UserSummary } from '@lien/shared';
import { apiErrorText, fieldErrors } from '../core/api-error';
import { AuthService } from '../core/auth/auth.service';
import type { TranslationKey } from '../i18n/fr';
import { TranslationService } from '../i18n/translation.service';
import { confirmDestructive } from '../ui/confirm.dialog';
import { clearForm, serverErrorSummary, type NamedField } from '../ui/form-errors';
import { userRoleKey, LABELS } from '../ui/labels';
import { AdminApi } from './admin-api';
import { FormField, bindFields, field } from '../ui/form-fields';
import { PageActions } from '../ui/form-submission';
import { LIST_PAGE } from '../ui/list-page';

/** Roles a user may give: org admins staff their organisation; platform admins create admins and coordinators. */
export function assignableRoles(role: UserRole | undefined): UserRole[] {
  if (role === 'org_admin') return ['professional', 'org_admin'];
  if (role === 'platform_admin') return ['org_admin', 'coordinator', 'platform_admin'];
  return [];
}

/** The text under an invitation field once it is invalid (the choices and the territory have none). */
const INVITE_ERROR_KEYS: Partial<Record<string, TranslationKey>> = {
  displayName: 'enrol.errors.required',
  email: 'users.emailInvalid',
  rpps: 'users.rppsInvalid',
};

const STATUS_KEYS: Record<UserStatus, TranslationKey> = {
  invited: 'users.statusInvited',
  active: 'users.statusActive',
  locked: 'users.statusLocked',
  inactive: 'users.statusInactive',
};

@Component({
  selector: 'lien-users-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LIST_PAGE, ReactiveFormsModule, FormField],
  template: `
    <section class="panel" aria-labelledby="invite-title">
      <h2 id="invite-title">{{ 'users.invite' | t }}</h2>
      <form
        #inviteRef="ngForm"
        [formGroup]="invite"
        (ngSubmit)="sendInvite()"
        novalidate
        class="form-grid"
        data-testid="invite-form"
      >
        <lien-field [of]="fields.displayName" />
        <lien-field [of]="fields.email" />
        <lien-field [of]="fields.role" [options]="roleChoices()" />
        <!-- An RPPS number signs its holder in through Pro Santé Connect: only platform admins record it. -->
        @if (isPlatformAdmin()) {
          <lien-field [of]="fields.rpps" />
          @if (invite.controls.role.value === 'coordinator') {
            <lien-field [of]="fields.departements" />
          } @else if (invite.controls.role.value === 'org_admin') {
            <!-- Picked from the list, never an identifier typed by hand. -->
            <lien-field [of]="fields.organisationId" [options]="organisationChoices()" />
          }
        }
        <div class="actions-row">
          <button mat-flat-button type="submit" [disabled]="actions.busy()" data-testid="invite-submit">
            {{ 'users.sendInvite' | t }}
          </button>
        </div>
      </form>
      <p role="status" class="status" [class.shown]="actions.message()" data-testid="users-status">
        {{ actions.message() }}
      </p>
      @if (actions.error(); as text) {
        <p role="alert" class="error-text" data-testid="users-error">{{ text }}</p>
      }
    </section>

    <h2>{{ 'users.list' | t }}</h2>
    <lien-load-state [resource]="users" failed="users.loadFailed" />
    @if (!users.error() && users.hasValue()) {
      <lien-data-table [caption]="'users.list' | t" [columns]="columns" testId="users-table">
        <tbody>
          @for (user of users.value().items; track user.id) {
            <tr data-testid="user-row" [attr.data-user-id]="user.id">
              <td>{{ user.displayName }}</td>
              <td>{{ user.email }}</td>
              <td data-testid="user-organisation">
                {{ user.organisationName ?? organisationName(user.organisationId) }}
              </td>
              <td>
                @if (canChangeRole(user)) {
                  <mat-form-field class="inline-select" subscriptSizing="dynamic">
                    <mat-label>{{ 'users.roleOf' | t: { name: user.displayName } }}</mat-label>
                    <mat-select
                      [value]="user.role"
                      (valueChange)="changeRole(user, $event)"
                      [attr.data-testid]="'user-role-' + user.id"
                    >
                      @for (role of roles(); track role) {
                        <mat-option [value]="role">{{ labels.userRole(role) | t }}</mat-option>
                      }
                    </mat-select>
                  </mat-form-field>
                } @else {
                  {{ labels.userRole(user.role) | t }}
                }
              </td>
              <td>{{ statusKey(user.status) | t }}</td>
              <td>{{ (user.totpEnabled ? 'common.yes' : 'common.no') | t }}</td>
              <td>{{ user.lastLoginAt | fmt }}</td>
              <td class="row-actions">
                @if (user.status === 'invited') {
                  <button
                    mat-button
                    type="button"
                    (click)="resendInvitation(user)"
                    [disabled]="actions.busy()"
                    [attr.data-testid]="'user-resend-' + user.id"
                  >
                    {{ 'users.resendInvite' | t }}
                    <span class="visually-hidden">{{ user.displayName }}</span>
                  </button>
                }
                @if (user.id !== meId()) {
                  <button
                    mat-stroked-button
                    type="button"
                    (click)="toggleActive(user)"
                    [disabled]="actions.busy()"
                    [attr.data-testid]="'user-toggle-' + user.id"
                  >
                    {{ (user.active ? 'users.deactivate' : 'users.reactivate') | t }}
                    <span class="visually-hidden">{{ user.displayName }}</span>
                  </button>
                }
              </td>
            </tr>
          }
        </tbody>
      </lien-data-table>
      <lien-list-paginator [length]="users.value().total" [(page)]="page" [(pageSize)]="pageSize" />
    }
  `,
  styles: `
    .row-actions {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
    }
    .inline-select {
      width: 200px;
    }
    .status {
      margin: 0;
    }
    .status.shown {
      margin: 8px 0;
      font-weight: 600;
    }
  `,
})
export class UsersPage {
  private readonly api = inject(AdminApi);
  private readonly auth = inject(AuthService);
  private readonly confirm = confirmDestructive();
  private readonly i18n = inject(TranslationService);
  private readonly inviteRef = viewChild<FormGroupDirective>('inviteRef');

  protected readonly labels = LABELS;
  protected readonly columns = [
    'users.displayName',
    'users.email',
    'users.organisation',
    'users.role',
    'users.status',
    'users.mfa',
    'users.lastLogin',
    'users.actions',
  ] as const;
  protected readonly page = signal(1);
  protected readonly pageSize = signal(25);
  protected readonly actions = new PageActions();
  protected readonly roles = computed(() => assignableRoles(this.auth.me()?.role));
  protected readonly isPlatformAdmin = computed(() => this.auth.me()?.role === 'platform_admin');
  protected readonly meId = computed(() => this.auth.me()?.id ?? null);

  protected readonly users = rxResource({
    params: () => ({ page: this.page(), pageSize: this.pageSize() }),
    stream: ({ params }) => this.api.users(params),
  });

  /** Organisations by id: every one for a platform admin, one's own otherwise. */
  protected readonly organisations = rxResource({ stream: () => this.api.organisations() });
  protected readonly organisationChoices = computed(() =>
    [...(this.organisations.value() ?? [])]
      .sort((a, b) => a.name.localeCompare(b.name, 'fr'))
      .map((organisation) => ({
        value: organisation.id,
        label: `${organisation.name} (${organisation.departement})`,
      })),
  );
  protected readonly roleChoices = computed(() =>
    this.roles().map((role) => ({ value: role, label: this.i18n.t(userRoleKey(role)) })),
  );
  protected readonly invite = inject(NonNullableFormBuilder).group({
    displayName: ['', [required, Validators.maxLength(200)]],
    email: ['', [required, email]],
    role: [assignableRoles(this.auth.me()?.role)[0] ?? 'professional', required],
    rpps: ['', Validators.pattern(/^\d{11}$/)],
    organisationId: [''],
    departements: [''],
  });
  protected readonly fields = bindFields(
    {
      displayName: field('users.displayName', 'invite-name', { required: true }),
      email: field('users.email', 'invite-email', { type: 'email', required: true }),
      role: field('users.role', 'invite-role'),
      rpps: field('users.rpps', '', { hint: 'users.rppsHint', inputmode: 'numeric', maxlength: 11 }),
      departements: field('users.territory', '', { hint: 'users.territoryHint' }),
      organisationId: field('users.organisationId', 'invite-organisation'),
    },
    this.invite.controls,
    (name) => {
      const key = INVITE_ERROR_KEYS[name];
      return key ? this.i18n.t(key) : '';
    },
  );
  private readonly organisationNames = computed(
    () =>
      new Map((this.organisations.value() ?? []).map((organisation) => [organisation.id, organisation.name])),
  );

  protected organisationName(id: string | null): string {
    return (id && this.organisationNames().get(id)) || this.i18n.t('users.organisationUnknown');
  }

  protected statusKey(status: UserStatus): TranslationKey {
    return STATUS_KEYS[status] ?? 'users.statusActive';
  }

  protected canChangeRole(user: UserSummary): boolean {
    return user.id !== this.meId() && this.roles().includes(user.role);
  }

  protected async sendInvite(): Promise<void> {
    if (this.invite.invalid) {
      this.invite.markAllAsTouched();
      return;
    }
    const value = this.invite.getRawValue();
    const request: InviteUserRequest = {
      email: value.email.trim(),
      displayName: value.displayName.trim(),
      role: value.role,
      ...(this.isPlatformAdmin() && value.rpps ? { rpps: value.rpps } : {}),
      ...(this.isPlatformAdmin() && value.organisationId.trim()
        ? { organisationId: value.organisationId.trim() }
        : {}),
      ...(this.isPlatformAdmin() && value.role === 'coordinator'
        ? { territory: { departements: value.departements.split(/[\s,;]+/).filter(Boolean) } }
        : {}),
    };
    await this.run(async () => {
      await firstValueFrom(this.api.inviteUser(request));
      this.actions.message.set(this.i18n.t('users.invited', { email: request.email }));
      clearForm(this.invite, this.inviteRef());
    });
  }

  protected async changeRole(user: UserSummary, role: UserRole): Promise<void> {
    await this.run(async () => {
      await firstValueFrom(this.api.updateUser(user.id, { role }));
      this.actions.message.set(this.i18n.t('users.roleChanged', { name: user.displayName }));
    });
  }

  protected async toggleActive(user: UserSummary): Promise<void> {
    if (user.active && !(await this.confirm('users.deactivate', { name: user.displayName }))) return;
    await this.run(async () => {
      await firstValueFrom(
        user.active ? this.api.deactivateUser(user.id) : this.api.updateUser(user.id, { active: true }),
      );
      this.actions.message.set(
        this.i18n.t(user.active ? 'users.deactivated' : 'users.reactivated', { name: user.displayName }),
      );
    });
  }

  protected async resendInvitation(user: UserSummary): Promise<void> {
    await this.run(async () => {
      await firstValueFrom(this.api.resendInvitation(user.id));
      this.actions.message.set(this.i18n.t('users.inviteResent', { email: user.email }));
    });
  }

  /** The invitation form's control and label for a field the API names ("territory.departements"). */
  private inviteField(field: string): NamedField | undefined {
    const fields: Record<string, [keyof typeof this.invite.controls, TranslationKey]> = {
      displayName: ['displayName', 'users.displayName'],
      email: ['email', 'users.email'],
      role: ['role', 'users.role'],
      rpps: ['rpps', 'users.rpps'],
      organisationId: ['organisationId', 'users.organisationId'],
      territory: ['departements', 'users.territory'],
    };
    const known = fields[field.split(/[.[]/)[0] ?? ''];
    return known ? { control: this.invite.controls[known[0]], label: this.i18n.t(known[1]) } : undefined;
  }

  /** An action on the accounts, then the list read again. */
  private async run(action: () => Promise<void>): Promise<void> {
    await this.actions.run(
      async () => {
        await action();
        this.users.reload();
      },
      (error) => this.actions.fail(this.failureText(error)),
    );
  }

  /** A 400 on the invitation goes on its fields, named in the console's language (never the API's English). */
  private failureText(error: ApiError): string {
    if (error.statusCode === 409) return this.i18n.t('users.conflict');
    const onInvite = Object.keys(fieldErrors(error)).some((field) => this.inviteField(field));
    return onInvite
      ? serverErrorSummary(error, (field) => this.inviteField(field), this.i18n.t)
      : this.i18n.t('users.failed', { message: apiErrorText(error, this.i18n.t) });
  }
}
