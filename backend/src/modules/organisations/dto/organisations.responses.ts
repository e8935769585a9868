import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { EPDS_BANDS, PARENT_ROLES } from '@lien/shared';
import type {
  AlertDeadlineSetting,
  EpdsThresholds,
  LocalResource,
  OrganisationSettingsResponse,
  OrganisationSummary,
  QuietHoursSetting,
  RescreenSetting,
  WaveSetting,
} from '@lien/shared';

type OrganisationSettingsResponseRemindersShape = NonNullable<OrganisationSettingsResponse['reminders']>;
type OrganisationSettingsResponseThresholdsShape = NonNullable<OrganisationSettingsResponse['thresholds']>;
type OrganisationSettingsResponseDeadlinesShape = NonNullable<OrganisationSettingsResponse['deadlines']>;

@ApiSchema({ name: 'AlertDeadlineSetting' })
export class AlertDeadlineSettingResponse implements AlertDeadlineSetting {
  @ApiProperty({ type: Number, description: 'Hours to acknowledge, counted in calendar hours.' })
  acknowledgeHours!: AlertDeadlineSetting['acknowledgeHours'];

  @ApiPropertyOptional({
    type: Number,
    description: 'Time to first contact; working days skip weekends and public holidays.',
  })
  contactWorkingDays?: AlertDeadlineSetting['contactWorkingDays'];

  @ApiPropertyOptional({ type: Number })
  contactHours?: AlertDeadlineSetting['contactHours'];
}

@ApiSchema({ name: 'EpdsThresholds' })
export class EpdsThresholdsResponse implements EpdsThresholds {
  @ApiProperty({ type: Number })
  moderate!: EpdsThresholds['moderate'];

  @ApiProperty({ type: Number })
  high!: EpdsThresholds['high'];
}

@ApiSchema({ name: 'OrganisationSettingsResponseDeadlines' })
export class OrganisationSettingsResponseDeadlinesResponse implements OrganisationSettingsResponseDeadlinesShape {
  @ApiProperty({ type: () => AlertDeadlineSettingResponse })
  urgent!: OrganisationSettingsResponseDeadlinesShape['urgent'];

  @ApiProperty({ type: () => AlertDeadlineSettingResponse })
  high!: OrganisationSettingsResponseDeadlinesShape['high'];

  @ApiProperty({ type: () => AlertDeadlineSettingResponse })
  moderate!: OrganisationSettingsResponseDeadlinesShape['moderate'];

  @ApiProperty({ type: () => AlertDeadlineSettingResponse })
  low!: OrganisationSettingsResponseDeadlinesShape['low'];
}

@ApiSchema({ name: 'LocalResource' })
export class LocalResourceResponse implements LocalResource {
  @ApiProperty({ type: String })
  name!: LocalResource['name'];

  @ApiPropertyOptional({ type: String })
  phone?: LocalResource['phone'];

  @ApiPropertyOptional({ type: String })
  url?: LocalResource['url'];

  @ApiPropertyOptional({ type: String })
  description?: LocalResource['description'];
}

@ApiSchema({ name: 'OrganisationSettingsResponseThresholds' })
export class OrganisationSettingsResponseThresholdsResponse implements OrganisationSettingsResponseThresholdsShape {
  @ApiProperty({ type: () => EpdsThresholdsResponse })
  mother!: OrganisationSettingsResponseThresholdsShape['mother'];

  @ApiProperty({ type: () => EpdsThresholdsResponse })
  father!: OrganisationSettingsResponseThresholdsShape['father'];

  @ApiProperty({ type: () => EpdsThresholdsResponse })
  co_parent!: OrganisationSettingsResponseThresholdsShape['co_parent'];
}

@ApiSchema({ name: 'OrganisationSettingsResponseReminders' })
export class OrganisationSettingsResponseRemindersResponse implements OrganisationSettingsResponseRemindersShape {
  @ApiProperty({ type: Number })
  count!: OrganisationSettingsResponseRemindersShape['count'];

  @ApiProperty({ type: Number })
  afterHours!: OrganisationSettingsResponseRemindersShape['afterHours'];
}

@ApiSchema({ name: 'QuietHoursSetting' })
export class QuietHoursSettingResponse implements QuietHoursSetting {
  @ApiProperty({ type: String, description: 'First minute at which an SMS may be sent (local).' })
  start!: QuietHoursSetting['start'];

  @ApiProperty({ type: String, description: 'Minute after which no SMS is sent (local).' })
  end!: QuietHoursSetting['end'];

  @ApiProperty({ type: Boolean })
  noSundays!: QuietHoursSetting['noSundays'];

  @ApiProperty({ type: Boolean })
  noPublicHolidays!: QuietHoursSetting['noPublicHolidays'];
}

/** A wave of the EPDS schedule, counted in days after birth, with the window in which a late enrolment still gets it. */
@ApiSchema({ name: 'WaveSetting' })
export class WaveSettingResponse implements WaveSetting {
  @ApiProperty({ type: String, description: 'Stable key stored on invitations, e.g. "day7".' })
  key!: WaveSetting['key'];

  @ApiProperty({ type: Number })
  offsetDays!: WaveSetting['offsetDays'];

  @ApiProperty({ type: Number })
  windowStartDay!: WaveSetting['windowStartDay'];

  @ApiProperty({ type: Number })
  windowEndDay!: WaveSetting['windowEndDay'];

  @ApiProperty({
    type: Boolean,
    description: 'Create a "no answer" follow-up task when the last reminder expires unanswered.',
  })
  noResponseTask!: WaveSetting['noResponseTask'];

  @ApiPropertyOptional({
    enum: [...PARENT_ROLES],
    isArray: true,
    description: 'The parent roles this wave is for; absent means every role.',
  })
  roles?: WaveSetting['roles'];

  @ApiPropertyOptional({
    type: () => RescreenSettingResponse,
    description: 'Invite again after an answer in the given bands; absent means never.',
  })
  rescreen?: WaveSetting['rescreen'];
}

/**
 * Adaptive re-screening: an answer of the wave in one of `bands` invites the parent again `afterDays` days
 * later, at most `maxTimes` times per wave.
 */
@ApiSchema({ name: 'RescreenSetting' })
export class RescreenSettingResponse implements RescreenSetting {
  @ApiProperty({ enum: [...EPDS_BANDS], isArray: true })
  bands!: RescreenSetting['bands'];

  @ApiProperty({ type: Number })
  afterDays!: RescreenSetting['afterDays'];

  @ApiProperty({ type: Number })
  maxTimes!: RescreenSetting['maxTimes'];
}

@ApiSchema({ name: 'OrganisationSettingsResponse' })
export class OrganisationSettingsResponseDto implements OrganisationSettingsResponse {
  @ApiProperty({ type: () => WaveSettingResponse, isArray: true })
  waves!: OrganisationSettingsResponse['waves'];

  @ApiProperty({ type: String })
  sendTime!: OrganisationSettingsResponse['sendTime'];

  @ApiProperty({ type: () => QuietHoursSettingResponse })
  quietHours!: OrganisationSettingsResponse['quietHours'];

  @ApiProperty({ type: () => OrganisationSettingsResponseRemindersResponse })
  reminders!: OrganisationSettingsResponse['reminders'];

  @ApiProperty({ type: Number })
  linkExpiryDays!: OrganisationSettingsResponse['linkExpiryDays'];

  @ApiProperty({ type: () => OrganisationSettingsResponseThresholdsResponse })
  thresholds!: OrganisationSettingsResponse['thresholds'];

  @ApiProperty({ type: Number, description: 'EPDS-3A (items 3, 4, 5) at or above this flags anxiety.' })
  anxietyThreshold!: OrganisationSettingsResponse['anxietyThreshold'];

  @ApiProperty({ type: Boolean })
  showScoreToParent!: OrganisationSettingsResponse['showScoreToParent'];

  @ApiProperty({ type: String, nullable: true })
  onCallEmail!: OrganisationSettingsResponse['onCallEmail'];

  @ApiProperty({ type: String, nullable: true })
  contactPhone!: OrganisationSettingsResponse['contactPhone'];

  @ApiProperty({ type: () => LocalResourceResponse, isArray: true })
  localResources!: OrganisationSettingsResponse['localResources'];

  @ApiProperty({ type: () => OrganisationSettingsResponseDeadlinesResponse })
  deadlines!: OrganisationSettingsResponse['deadlines'];

  @ApiProperty({ type: Number })
  contactAttemptsBeforeUnreachable!: OrganisationSettingsResponse['contactAttemptsBeforeUnreachable'];

  @ApiProperty({ type: Boolean })
  requireMfa!: OrganisationSettingsResponse['requireMfa'];

  @ApiProperty({
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: { invitation: { type: 'string' }, reminder: { type: 'string' } },
      required: ['invitation', 'reminder'],
    },
    example: {
      fr: { invitation: '{organisation} : … {link}', reminder: '{organisation} : rappel … {link}' },
    },
    description: 'SMS text per language; {organisation} and {link} are replaced.',
  })
  smsTemplates!: OrganisationSettingsResponse['smsTemplates'];

  @ApiProperty({ type: String })
  smsSender!: OrganisationSettingsResponse['smsSender'];

  @ApiProperty({
    type: String,
    isArray: true,
    description: 'Wave keys already stored on invitations: those waves cannot be renamed or removed.',
  })
  usedWaveKeys!: OrganisationSettingsResponse['usedWaveKeys'];

  @ApiPropertyOptional({
    type: String,
    isArray: true,
    example: ['62100', '62200'],
    description:
      'Postal codes the organisation serves, for "be contacted" requests. Absent or empty: the organisation is its département’s default only.',
  })
  servedPostalCodes?: OrganisationSettingsResponse['servedPostalCodes'];

  @ApiPropertyOptional({
    enum: ['initials', 'full'],
    description:
      'How the alert dashboard names parents: initials ("C. M.", when absent) or full name; either way the list read is audited.',
  })
  alertListParentName?: OrganisationSettingsResponse['alertListParentName'];
}

@ApiSchema({ name: 'OrganisationSummary' })
export class OrganisationSummaryResponse implements OrganisationSummary {
  @ApiProperty({ type: String })
  id!: OrganisationSummary['id'];

  @ApiProperty({ type: String })
  name!: OrganisationSummary['name'];

  @ApiProperty({ enum: ['pmi', 'maternity', 'other'] })
  kind!: OrganisationSummary['kind'];

  @ApiProperty({ type: String })
  departement!: OrganisationSummary['departement'];

  @ApiProperty({ type: String })
  region!: OrganisationSummary['region'];

  @ApiProperty({ type: String })
  timeZone!: OrganisationSummary['timeZone'];

  @ApiProperty({ type: String })
  smsSender!: OrganisationSummary['smsSender'];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: OrganisationSummary['createdAt'];
}
