import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { of } from 'rxjs';
import {
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  EMERGENCY_REFERRAL_TARGETS,
  REFERRAL_RESOURCE_KINDS,
  REFERRAL_TARGETS,
  type AlertEventRequest,
  type CloseOutcome,
  type ContactChannel,
  type ContactOutcome,
  type ReferralResourceKind,
  type ReferralTarget,
} from '@lien/shared';
import { AlertsApi } from './alerts-api';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';
import { LABELS } from '../ui/labels';

export type DialogEventType = 'note' | 'contact_attempt' | 'referral' | 'in_care' | 'close';

export interface AlertEventDialogData {
  type: DialogEventType;
  outcomes: CloseOutcome[];
  /** A positive answer to item 10 (self-harm): the referral step offers the emergency routes first. */
  item10Positive?: boolean;
}

/** Same limits as the API (NOTE_MAX_LENGTH, DESTINATION_MAX_LENGTH). */
export const NOTE_MAX_LENGTH = 4000;
export const DESTINATION_MAX_LENGTH = 200;

const EMERGENCY: readonly string[] = EMERGENCY_REFERRAL_TARGETS;

const TITLES: Record<DialogEventType, TranslationKey> = {
  note: 'action.note',
  contact_attempt: 'action.contact_attempt',
  referral: 'action.referral',
  in_care: 'action.in_care',
  close: 'action.close',
};

/**
 * The request for a dialog's values; null while a required field is missing. A referral's `choice` is an
 * emergency route, `resource:<id>` (a directory entry: its kind gives the target) or `category` (`to`, and a
 * free-text `destination`, required for "other").
 */
export function eventRequest(
  type: DialogEventType,
  values: {
    note: string;
    outcome: string;
    channel: string;
    to: string;
    closeOutcome: string;
    choice?: string;
    destination?: string;
  },
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
    case 'referral': {
      const choice = values.choice ?? '';
      if (choice.startsWith('resource:'))
        return { type: 'referral', resourceId: choice.slice('resource:'.length), ...withNote };
      if (EMERGENCY.includes(choice)) return { type: 'referral', to: choice as ReferralTarget, ...withNote };
      if (!values.to) return null;
      const destination = values.destination?.trim() ?? '';
      if (values.to === 'other' && !destination) return null;
      return {
        type: 'referral',
        to: values.to as ReferralTarget,
        ...(destination ? { destination } : {}),
        ...withNote,
      };
    }
    case 'in_care':
      return { type: 'in_care', ...withNote };
    case 'close':
      return values.closeOutcome
        ? { type: 'close', outcome: values.closeOutcome as CloseOutcome, ...withNote }
        : null;
  }
}

/**
 * One follow-up event's form (contact attempt, referral, close with outcome…), in a focus-trapped dialog. The
 * referral picks an entry of the organisation's directory (filterable by kind, with whether it takes new
 * patients and its usual delay), an emergency route (first when item 10 is positive) or a category with free text.
 */
@Component({
  selector: 'lien-alert-event-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    NgTemplateOutlet,
    ReactiveFormsModule,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    MatSelectModule,
    TranslatePipe,
  ],
  templateUrl: './alert-event.dialog.html',
  styleUrl: './alert-event.dialog.css',
})
export class AlertEventDialog {
  protected readonly data = inject<AlertEventDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<AlertEventDialog, AlertEventRequest>>(MatDialogRef);
  private readonly api = inject(AlertsApi);
  protected readonly title = TITLES[this.data.type];
  protected readonly noteMax = NOTE_MAX_LENGTH;
  protected readonly destinationMax = DESTINATION_MAX_LENGTH;
  protected readonly contactOutcomes = CONTACT_OUTCOMES;
  protected readonly channels = CONTACT_CHANNELS;
  protected readonly emergencyTargets = EMERGENCY_REFERRAL_TARGETS;
  /** The categories beside the emergency routes, "other" (free text) last. */
  protected readonly otherTargets = REFERRAL_TARGETS.filter((target) => !EMERGENCY.includes(target));
  protected readonly resourceKinds = REFERRAL_RESOURCE_KINDS;
  protected readonly labels = LABELS;
  protected readonly resourceKindKey = (kind: ReferralResourceKind): TranslationKey =>
    `eventForm.resourceKind.${kind}`;
  protected submitted = false;

  protected readonly form = inject(NonNullableFormBuilder).group({
    note: ['', Validators.maxLength(NOTE_MAX_LENGTH)],
    outcome: [''],
    channel: ['phone'],
    to: [''],
    closeOutcome: [this.data.outcomes.length === 1 ? (this.data.outcomes[0] ?? '') : ''],
    choice: [''],
    destination: ['', Validators.maxLength(DESTINATION_MAX_LENGTH)],
  });
  private readonly values = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });
  protected readonly request = computed(() => {
    this.values();
    return eventRequest(this.data.type, this.form.getRawValue());
  });

  /** The directory, read only for a referral. */
  protected readonly directory = rxResource({
    params: () => this.data.type === 'referral',
    stream: ({ params }) => (params ? this.api.referralResources() : of([])),
  });
  protected readonly kind = signal<ReferralResourceKind | 'all'>('all');
  protected readonly resources = computed(() => {
    const all = this.directory.hasValue() ? (this.directory.value() ?? []) : [];
    const kind = this.kind();
    return kind === 'all' ? all : all.filter((resource) => resource.kind === kind);
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
