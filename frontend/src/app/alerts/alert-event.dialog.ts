import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import {
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  REFERRAL_TARGETS,
  type AlertEventRequest,
  type CloseOutcome,
  type ContactChannel,
  type ContactOutcome,
  type ReferralTarget,
} from '@lien/shared';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';
import { channelKey, contactOutcomeKey, outcomeKey, referralKey } from '../ui/labels';

export type DialogEventType = 'note' | 'contact_attempt' | 'referral' | 'in_care' | 'close';

export interface AlertEventDialogData {
  type: DialogEventType;
  outcomes: CloseOutcome[];
}

/** Same limit as the API (NOTE_MAX_LENGTH). */
export const NOTE_MAX_LENGTH = 4000;

const TITLES: Record<DialogEventType, TranslationKey> = {
  note: 'action.note',
  contact_attempt: 'action.contact_attempt',
  referral: 'action.referral',
  in_care: 'action.in_care',
  close: 'action.close',
};

/** The request for a dialog's values; null while a required field is missing. */
export function eventRequest(
  type: DialogEventType,
  values: { note: string; outcome: string; channel: string; to: string; closeOutcome: string },
): AlertEventRequest | null {
  const note = values.note.trim();
  const withNote = note ? { note } : {};
  switch (type) {
    case 'note':
      return note ? { type: 'note', text: note } : null;
    case 'contact_attempt':
      if (!values.outcome || !values.channel) return null;
      return {
        type: 'contact_attempt',
        outcome: values.outcome as ContactOutcome,
        channel: values.channel as ContactChannel,
        ...withNote,
      };
    case 'referral':
      return values.to ? { type: 'referral', to: values.to as ReferralTarget, ...withNote } : null;
    case 'in_care':
      return { type: 'in_care', ...withNote };
    case 'close':
      return values.closeOutcome
        ? { type: 'close', outcome: values.closeOutcome as CloseOutcome, ...withNote }
        : null;
  }
}

/** One follow-up event's form (contact attempt, referral, close with outcome…), in a focus-trapped dialog. */
@Component({
  selector: 'lien-alert-event-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    MatSelectModule,
    TranslatePipe,
  ],
  template: `
    <h2 mat-dialog-title>{{ title | t }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="event-form">
      <mat-dialog-content class="dialog-form">
        @switch (data.type) {
          @case ('contact_attempt') {
            <div class="radio-block">
              <span id="contact-outcome-label" class="radio-label">{{ 'eventForm.contactOutcome' | t }}</span>
              <mat-radio-group
                formControlName="outcome"
                aria-labelledby="contact-outcome-label"
                data-testid="event-contact-outcome"
              >
                @for (value of contactOutcomes; track value) {
                  <mat-radio-button [value]="value" [attr.data-testid]="'event-contact-outcome-' + value">{{
                    contactOutcomeKey(value) | t
                  }}</mat-radio-button>
                }
              </mat-radio-group>
              @if (submitted && !form.controls.outcome.value) {
                <p class="error-text" role="alert">{{ 'eventForm.required' | t }}</p>
              }
            </div>
            <mat-form-field>
              <mat-label>{{ 'eventForm.channel' | t }}</mat-label>
              <mat-select formControlName="channel" data-testid="event-channel">
                @for (value of channels; track value) {
                  <mat-option [value]="value">{{ channelKey(value) | t }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
          }
          @case ('referral') {
            <mat-form-field>
              <mat-label>{{ 'eventForm.referralTo' | t }}</mat-label>
              <mat-select formControlName="to" required data-testid="event-referral-to">
                @for (value of referralTargets; track value) {
                  <mat-option [value]="value">{{ referralKey(value) | t }}</mat-option>
                }
              </mat-select>
              @if (submitted && !form.controls.to.value) {
                <mat-error>{{ 'eventForm.required' | t }}</mat-error>
              }
            </mat-form-field>
          }
          @case ('close') {
            <mat-form-field>
              <mat-label>{{ 'eventForm.closeOutcome' | t }}</mat-label>
              <mat-select formControlName="closeOutcome" required data-testid="event-close-outcome">
                @for (value of data.outcomes; track value) {
                  <mat-option [value]="value">{{ outcomeKey(value) | t }}</mat-option>
                }
              </mat-select>
              @if (submitted && !form.controls.closeOutcome.value) {
                <mat-error>{{ 'eventForm.required' | t }}</mat-error>
              }
            </mat-form-field>
          }
        }
        <mat-form-field class="note">
          <mat-label>{{
            (data.type === 'note' ? 'eventForm.noteRequired' : 'eventForm.note') | t
          }}</mat-label>
          <textarea
            matInput
            formControlName="note"
            rows="4"
            [maxlength]="noteMax"
            data-testid="event-note"
          ></textarea>
          <mat-hint>{{ 'eventForm.noteHint' | t }}</mat-hint>
          @if (submitted && data.type === 'note' && !form.controls.note.value.trim()) {
            <mat-error>{{ 'eventForm.required' | t }}</mat-error>
          }
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close data-testid="event-cancel">
          {{ 'common.cancel' | t }}
        </button>
        <button mat-flat-button type="submit" data-testid="event-submit">{{ 'common.save' | t }}</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .dialog-form {
      display: flex;
      flex-direction: column;
      gap: 12px;
      min-width: min(440px, 80vw);
    }
    .radio-block {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .radio-label {
      font-weight: 600;
    }
    mat-radio-group {
      display: flex;
      gap: 16px;
      flex-wrap: wrap;
    }
    .note {
      width: 100%;
    }
  `,
})
export class AlertEventDialog {
  protected readonly data = inject<AlertEventDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<AlertEventDialog, AlertEventRequest>>(MatDialogRef);
  protected readonly title = TITLES[this.data.type];
  protected readonly noteMax = NOTE_MAX_LENGTH;
  protected readonly contactOutcomes = CONTACT_OUTCOMES;
  protected readonly channels = CONTACT_CHANNELS;
  protected readonly referralTargets = REFERRAL_TARGETS;
  protected readonly contactOutcomeKey = contactOutcomeKey;
  protected readonly channelKey = channelKey;
  protected readonly referralKey = referralKey;
  protected readonly outcomeKey = outcomeKey;
  protected submitted = false;

  protected readonly form = inject(NonNullableFormBuilder).group({
    note: ['', Validators.maxLength(NOTE_MAX_LENGTH)],
    outcome: [''],
    channel: ['phone'],
    to: [''],
    closeOutcome: [this.data.outcomes.length === 1 ? (this.data.outcomes[0] ?? '') : ''],
  });

  protected submit(): void {
    this.submitted = true;
    const request = eventRequest(this.data.type, this.form.getRawValue());
    if (!request) {
      this.form.markAllAsTouched();
      return;
    }
    this.dialogRef.close(request);
  }
}
