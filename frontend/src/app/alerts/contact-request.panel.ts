import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { Router, RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import type {
  ContactRequestEnrolRequest,
  ContactRequestIdentity,
  ContactRequestView,
  ContactRouting,
  ContactTimeSlot,
} from '@lien/shared';
import { apiErrorText, detailsObject, fieldErrors, toApiError } from '../core/api-error';
import { allowed } from '../core/auth/auth.service';
import { FormatPipe } from '../i18n/format.pipe';
import type { TranslationKey } from '../i18n/fr';
import { LienDateField } from '../core/date-fields';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { CONSENT_TEXT_VERSION } from '../parents/enrolment-form';
import { displayPhone } from '../parents/phone-format';
import { Fact } from '../ui/fact.component';
import { FormField, bindFields, field } from '../ui/form-fields';
import { LienIcon } from '../ui/icon';
import { IdentityReveal, OnDemandRead } from '../ui/identity-reveal.component';
import { required, requiredTrue } from '../ui/validators';
import { LABELS } from '../ui/labels';
import { AlertsApi } from './alerts-api';

/** The contact request behind a contact-request alert: what the parent asked, their details on demand, enrolment. */
@Component({
  selector: 'lien-contact-request-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    LienDateField,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCheckboxModule,
    LienIcon,
    IdentityReveal,
    Fact,
    FormField,
    TranslatePipe,
    FormatPipe,
  ],
  template: `
    @let r = request();
    <section class="panel" aria-labelledby="contact-request-title" data-testid="contact-request">
      <h2 id="contact-request-title">{{ 'contactRequest.title' | t }}</h2>
      @if (r.item10Positive) {
        <p class="urgent" role="note" data-testid="contact-request-item10">
          <lien-icon name="error" />{{ 'contactRequest.item10' | t }}
        </p>
      }
      <dl class="facts">
        <div lienFact="contactRequest.band" testId="contact-request-band">
          {{ (r.band ? labels.band(r.band) : 'contactRequest.noBand') | t }}
        </div>
        <div lienFact="contactRequest.channel" testId="contact-request-channel">
          {{ channelKey(r.channel) | t }}
        </div>
        <div lienFact="contactRequest.slots" testId="contact-request-slots">{{ slots() }}</div>
        <div lienFact="contactRequest.routing" testId="contact-request-routing">
          {{ routingKey(r.routing) | t: { place: r.postalCode ?? r.departement ?? '—' } }}
        </div>
        <div lienFact="contactRequest.role">{{ labels.parentRole(r.role) | t }}</div>
        <div lienFact="contactRequest.child">
          @if (r.pregnant) {
            {{ 'contactRequest.pregnant' | t }}
          } @else if (r.childAgeWeeks !== null) {
            {{ 'contactRequest.childAge' | t: { weeks: r.childAgeWeeks } }}
          } @else {
            —
          }
        </div>
        <div lienFact="contactRequest.received">{{ r.createdAt | fmt }}</div>
      </dl>

      @if (canReadParents()) {
        @if (identity(); as who) {
          <dl class="facts" data-testid="contact-request-identity">
            <div lienFact="contactRequest.firstName" testId="contact-request-first-name">
              {{ who.firstName }}
            </div>
            <div lienFact="contactRequest.phone">
              @if (who.phone) {
                <a [href]="'tel:' + who.phone" data-testid="contact-request-phone">{{ phone(who.phone) }}</a>
              } @else {
                {{ 'contactRequest.none' | t }}
              }
            </div>
            <div lienFact="contactRequest.email">
              @if (who.email) {
                <a [href]="'mailto:' + who.email" data-testid="contact-request-email">{{ who.email }}</a>
              } @else {
                {{ 'contactRequest.none' | t }}
              }
            </div>
          </dl>
        } @else {
          <lien-identity-reveal
            [read]="revealRead"
            hidden="contactRequest.identityHidden"
            action="contactRequest.showIdentity"
            failed="contactRequest.identityFailed"
            testId="contact-request-reveal"
            (reveal)="reveal()"
          />
        }
      }

      @if (enrolledParentId(); as parentId) {
        <p data-testid="contact-request-enrolled">
          {{ 'contactRequest.enrolled' | t }}
          <a [routerLink]="['/parents', parentId]" data-testid="contact-request-parent-link">{{
            'contactRequest.openParent' | t
          }}</a>
        </p>
      } @else if (canEnrol()) {
        @if (!enrolling()) {
          <div class="actions-row">
            <button
              mat-flat-button
              type="button"
              (click)="enrolling.set(true)"
              data-testid="contact-request-enrol"
            >
              <lien-icon name="add" />{{ 'contactRequest.enrol' | t }}
            </button>
          </div>
        } @else {
          <form
            [formGroup]="form"
            (ngSubmit)="enrol()"
            aria-labelledby="enrol-title"
            data-testid="contact-request-enrol-form"
            novalidate
          >
            <h3 id="enrol-title">{{ 'contactRequest.enrolTitle' | t }}</h3>
            <p class="muted">{{ 'contactRequest.enrolHint' | t }}</p>
            <lien-field [of]="fields.lastName" />
            <lien-date-field
              formControlName="date"
              [label]="(r.pregnant ? 'contactRequest.termDate' : 'contactRequest.birthDate') | t"
              [error]="
                form.controls.date.invalid && form.controls.date.touched
                  ? ('contactRequest.required' | t)
                  : null
              "
              testId="enrol-date"
            />
            @if (needsPhone()) {
              <lien-field [of]="fields.phone" />
            }
            <mat-checkbox formControlName="consent" data-testid="enrol-consent">
              {{ 'contactRequest.consent' | t }}
            </mat-checkbox>
            @if (submitted() && form.controls.consent.invalid) {
              <p role="alert" class="error-text" data-testid="enrol-consent-error">
                {{ 'contactRequest.consentRequired' | t }}
              </p>
            }
            @if (enrolError(); as message) {
              <p role="alert" class="error-text" data-testid="enrol-error">{{ message }}</p>
            }
            <div class="actions-row">
              <button mat-flat-button type="submit" [disabled]="busy()" data-testid="enrol-submit">
                {{ 'contactRequest.submit' | t }}
              </button>
              <button mat-stroked-button type="button" (click)="enrolling.set(false)">
                {{ 'contactRequest.cancel' | t }}
              </button>
            </div>
          </form>
        }
      }
    </section>
  `,
  styles: `
    .urgent {
      display: flex;
      align-items: center;
      gap: 6px;
      padding: 8px 12px;
      font-weight: 700;
      background: var(--lien-urgent-container);
      border-radius: 8px;
    }
    form {
      display: flex;
      flex-direction: column;
      gap: 8px;
      max-width: 560px;
    }
  `,
})
export class ContactRequestPanel {
  readonly request = input.required<ContactRequestView>();

  private readonly api = inject(AlertsApi);
  private readonly router = inject(Router);
  private readonly i18n = inject(TranslationService);

  protected readonly labels = LABELS;

  protected readonly canReadParents = allowed('parents.read');
  protected readonly canEnrol = allowed('parents.write');
  protected readonly identity = signal<ContactRequestIdentity | null>(null);
  protected readonly revealRead = new OnDemandRead();
  protected readonly enrolling = signal(false);
  protected readonly busy = signal(false);
  protected readonly submitted = signal(false);
  protected readonly enrolError = signal<string | null>(null);
  /** Set when the API said the phone is missing (an e-mail-only request), or the revealed identity has none. */
  private readonly phoneAsked = signal(false);
  /** Learnt from a 409 (someone else enrolled it meanwhile). */
  private readonly enrolledElsewhere = signal<string | null>(null);

  protected readonly enrolledParentId = computed(
    () => this.request().enrolledParentId ?? this.enrolledElsewhere(),
  );
  protected readonly needsPhone = computed(
    () => this.phoneAsked() || (this.identity() !== null && this.identity()?.phone === null),
  );
  protected readonly slots = computed(() => {
    const slots = this.request().timeSlots;
    if (slots.length === 0) return this.i18n.t('contactRequest.anySlot');
    return slots.map((slot) => this.i18n.t(this.slotKey(slot))).join(', ');
  });

  protected readonly form = inject(NonNullableFormBuilder).group({
    lastName: ['', [required, Validators.maxLength(100)]],
    date: ['', required],
    phone: [''],
    consent: [false, requiredTrue],
  });
  protected readonly fields = bindFields(
    {
      lastName: field('contactRequest.lastName', 'enrol-last-name'),
      phone: field('contactRequest.enrolPhone', 'enrol-phone', { type: 'tel' }),
    },
    this.form.controls,
    // The phone is free-form and optional here: only the last name can be missing.
    (name) => (name === 'lastName' ? this.i18n.t('contactRequest.required') : ''),
  );

  protected channelKey(channel: ContactRequestView['channel']): TranslationKey {
    return `contactChannel.${channel}`;
  }

  protected slotKey(slot: ContactTimeSlot): TranslationKey {
    return `contactSlot.${slot}`;
  }

  protected routingKey(routing: ContactRouting): TranslationKey {
    return `contactRouting.${routing}`;
  }

  protected phone(value: string): string {
    return displayPhone(value);
  }

  /** The audited identity read: only when the professional asks for it. */
  protected async reveal(): Promise<void> {
    await this.revealRead.run(async () => {
      this.identity.set(await firstValueFrom(this.api.contactRequestIdentity(this.request().id)));
    });
  }

  protected async enrol(): Promise<void> {
    this.submitted.set(true);
    this.enrolError.set(null);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    const request = this.request();
    const body: ContactRequestEnrolRequest = {
      lastName: value.lastName.trim(),
      ...(request.pregnant ? { expectedTermDate: value.date } : { birthDate: value.date }),
      ...(this.needsPhone() && value.phone.trim() ? { phone: value.phone.trim() } : {}),
      consent: { given: true, textVersion: CONSENT_TEXT_VERSION },
    };
    this.busy.set(true);
    try {
      const parent = await firstValueFrom(this.api.enrolContactRequest(request.id, body));
      await this.router.navigate(['/parents', parent.id]);
    } catch (error) {
      const apiError = toApiError(error);
      const fields = Object.keys(fieldErrors(apiError));
      if (apiError.code === 'contact_request_enrolled') {
        const parentId = detailsObject(apiError)?.['parentId'];
        if (typeof parentId === 'string') this.enrolledElsewhere.set(parentId);
        this.enrolError.set(this.i18n.t('contactRequest.alreadyEnrolled'));
      } else if (apiError.statusCode === 400 && fields.length > 0) {
        if (fields.includes('phone')) this.phoneAsked.set(true);
        this.enrolError.set(this.i18n.t('contactRequest.invalid', { fields: fields.join(', ') }));
      } else {
        this.enrolError.set(
          this.i18n.t('contactRequest.enrolFailed', { message: apiErrorText(apiError, this.i18n.t) }),
        );
      }
    } finally {
      this.busy.set(false);
    }
  }
}
