import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type {
  ReportAlertIndicators,
  ReportBandCounts,
  ReportCell,
  ReportFunnel,
  ReportGroup,
  ReportIndicators,
  ReportInvitationWave,
  ReportParentIndicators,
  ReportResponseIndicators,
  ReportSmsCounts,
  ReportSmsIndicators,
  ReportSummary,
} from '@lien/shared';
import { REPORT_SUPPRESSION_REASONS } from '@lien/shared';

type ReportIndicatorsInvitationsShape = NonNullable<ReportIndicators['invitations']>;
type ReportParentIndicatorsEnrolledByRoleShape = NonNullable<ReportParentIndicators['enrolledByRole']>;
type ReportResponseIndicatorsByRoleShape = NonNullable<ReportResponseIndicators['byRole']>;
type ReportResponseIndicatorsByWaveItemShape = NonNullable<ReportResponseIndicators['byWave'][number]>;
type ReportAlertIndicatorsBySeverityShape = NonNullable<ReportAlertIndicators['bySeverity']>;
type ReportAlertIndicatorsClosedByOutcomeShape = NonNullable<ReportAlertIndicators['closedByOutcome']>;
type ReportAlertIndicatorsTimeToFirstContactShape = NonNullable<ReportAlertIndicators['timeToFirstContact']>;
type ReportSmsIndicatorsByKindShape = NonNullable<ReportSmsIndicators['byKind']>;

@ApiSchema({ name: 'ReportSmsCounts' })
export class ReportSmsCountsResponse implements ReportSmsCounts {
  @ApiProperty({ type: () => ReportCellResponse, description: 'Messages due in the period (not cancelled).' })
  planned!: ReportSmsCounts['planned'];

  @ApiProperty({
    type: () => ReportCellResponse,
    description: 'Handed to the operator (queued, sent, delivered or undelivered): these are billed.',
  })
  accepted!: ReportSmsCounts['accepted'];

  @ApiProperty({ type: () => ReportCellResponse })
  delivered!: ReportSmsCounts['delivered'];

  @ApiProperty({ type: () => ReportCellResponse })
  undelivered!: ReportSmsCounts['undelivered'];

  @ApiProperty({ type: () => ReportCellResponse })
  failed!: ReportSmsCounts['failed'];

  @ApiProperty({
    type: () => ReportCellResponse,
    description: 'Segments of the accepted messages: the cost.',
  })
  segments!: ReportSmsCounts['segments'];

  @ApiProperty({
    type: () => ReportCellResponse,
    description: 'delivered / (delivered + undelivered + failed).',
  })
  deliveryRate!: ReportSmsCounts['deliveryRate'];
}

@ApiSchema({ name: 'ReportSmsIndicatorsByKind' })
export class ReportSmsIndicatorsByKindResponse implements ReportSmsIndicatorsByKindShape {
  @ApiProperty({ type: () => ReportSmsCountsResponse })
  invitation!: ReportSmsIndicatorsByKindShape['invitation'];

  @ApiProperty({ type: () => ReportSmsCountsResponse })
  reminder!: ReportSmsIndicatorsByKindShape['reminder'];
}

@ApiSchema({ name: 'ReportAlertIndicatorsTimeToFirstContact' })
export class ReportAlertIndicatorsTimeToFirstContactResponse implements ReportAlertIndicatorsTimeToFirstContactShape {
  @ApiProperty({ type: () => ReportCellResponse })
  alerts!: ReportAlertIndicatorsTimeToFirstContactShape['alerts'];

  @ApiProperty({ type: () => ReportCellResponse })
  medianMinutes!: ReportAlertIndicatorsTimeToFirstContactShape['medianMinutes'];

  @ApiProperty({ type: () => ReportCellResponse })
  p90Minutes!: ReportAlertIndicatorsTimeToFirstContactShape['p90Minutes'];
}

@ApiSchema({ name: 'ReportAlertIndicatorsClosedByOutcome' })
export class ReportAlertIndicatorsClosedByOutcomeResponse implements ReportAlertIndicatorsClosedByOutcomeShape {
  @ApiProperty({ type: () => ReportCellResponse })
  in_care!: ReportAlertIndicatorsClosedByOutcomeShape['in_care'];

  @ApiProperty({ type: () => ReportCellResponse })
  unreachable!: ReportAlertIndicatorsClosedByOutcomeShape['unreachable'];

  @ApiProperty({ type: () => ReportCellResponse })
  declined!: ReportAlertIndicatorsClosedByOutcomeShape['declined'];

  @ApiProperty({ type: () => ReportCellResponse })
  false_alarm!: ReportAlertIndicatorsClosedByOutcomeShape['false_alarm'];

  @ApiProperty({ type: () => ReportCellResponse })
  moved!: ReportAlertIndicatorsClosedByOutcomeShape['moved'];
}

@ApiSchema({ name: 'ReportAlertIndicatorsBySeverity' })
export class ReportAlertIndicatorsBySeverityResponse implements ReportAlertIndicatorsBySeverityShape {
  @ApiProperty({ type: () => ReportCellResponse })
  urgent!: ReportAlertIndicatorsBySeverityShape['urgent'];

  @ApiProperty({ type: () => ReportCellResponse })
  high!: ReportAlertIndicatorsBySeverityShape['high'];

  @ApiProperty({ type: () => ReportCellResponse })
  moderate!: ReportAlertIndicatorsBySeverityShape['moderate'];

  @ApiProperty({ type: () => ReportCellResponse })
  low!: ReportAlertIndicatorsBySeverityShape['low'];
}

@ApiSchema({ name: 'ReportResponseIndicatorsByWaveItem' })
export class ReportResponseIndicatorsByWaveItemResponse implements ReportResponseIndicatorsByWaveItemShape {
  @ApiProperty({ type: () => ReportCellResponse })
  responses!: ReportResponseIndicatorsByWaveItemShape['responses'];

  @ApiProperty({ type: () => ReportCellResponse })
  low!: ReportResponseIndicatorsByWaveItemShape['low'];

  @ApiProperty({ type: () => ReportCellResponse })
  moderate!: ReportResponseIndicatorsByWaveItemShape['moderate'];

  @ApiProperty({ type: () => ReportCellResponse })
  high!: ReportResponseIndicatorsByWaveItemShape['high'];

  @ApiProperty({ type: () => ReportCellResponse })
  item10Positive!: ReportResponseIndicatorsByWaveItemShape['item10Positive'];

  @ApiProperty({ type: () => ReportCellResponse })
  anxiety!: ReportResponseIndicatorsByWaveItemShape['anxiety'];

  @ApiProperty({ type: () => ReportCellResponse, description: 'Moderate or high band, or item 10 positive.' })
  positive!: ReportResponseIndicatorsByWaveItemShape['positive'];

  @ApiProperty({ type: () => ReportCellResponse, description: 'positive / responses.' })
  positiveRate!: ReportResponseIndicatorsByWaveItemShape['positiveRate'];

  @ApiProperty({ type: String })
  wave!: ReportResponseIndicatorsByWaveItemShape['wave'];
}

@ApiSchema({ name: 'ReportResponseIndicatorsByRole' })
export class ReportResponseIndicatorsByRoleResponse implements ReportResponseIndicatorsByRoleShape {
  @ApiProperty({ type: () => ReportBandCountsResponse })
  mother!: ReportResponseIndicatorsByRoleShape['mother'];

  @ApiProperty({ type: () => ReportBandCountsResponse })
  father!: ReportResponseIndicatorsByRoleShape['father'];

  @ApiProperty({ type: () => ReportBandCountsResponse })
  co_parent!: ReportResponseIndicatorsByRoleShape['co_parent'];
}

@ApiSchema({ name: 'ReportBandCounts' })
export class ReportBandCountsResponse implements ReportBandCounts {
  @ApiProperty({ type: () => ReportCellResponse })
  responses!: ReportBandCounts['responses'];

  @ApiProperty({ type: () => ReportCellResponse })
  low!: ReportBandCounts['low'];

  @ApiProperty({ type: () => ReportCellResponse })
  moderate!: ReportBandCounts['moderate'];

  @ApiProperty({ type: () => ReportCellResponse })
  high!: ReportBandCounts['high'];

  @ApiProperty({ type: () => ReportCellResponse })
  item10Positive!: ReportBandCounts['item10Positive'];

  @ApiProperty({ type: () => ReportCellResponse })
  anxiety!: ReportBandCounts['anxiety'];

  @ApiProperty({ type: () => ReportCellResponse, description: 'Moderate or high band, or item 10 positive.' })
  positive!: ReportBandCounts['positive'];

  @ApiProperty({ type: () => ReportCellResponse, description: 'positive / responses.' })
  positiveRate!: ReportBandCounts['positiveRate'];
}

/** The invitation funnel of one wave (`wave: 'all'` for every wave together). */
@ApiSchema({ name: 'ReportInvitationWave' })
export class ReportInvitationWaveResponse implements ReportInvitationWave {
  @ApiProperty({ type: String })
  wave!: ReportInvitationWave['wave'];

  @ApiProperty({
    type: () => ReportCellResponse,
    description: 'Invitations due in the period, not cancelled nor skipped.',
  })
  planned!: ReportInvitationWave['planned'];

  @ApiProperty({ type: () => ReportCellResponse })
  sent!: ReportInvitationWave['sent'];

  @ApiProperty({
    type: () => ReportCellResponse,
    description: 'Invitation SMS (not reminders) confirmed delivered by the operator.',
  })
  delivered!: ReportInvitationWave['delivered'];

  @ApiProperty({ type: () => ReportCellResponse })
  opened!: ReportInvitationWave['opened'];

  @ApiProperty({ type: () => ReportCellResponse })
  answered!: ReportInvitationWave['answered'];

  @ApiProperty({ type: () => ReportCellResponse })
  expired!: ReportInvitationWave['expired'];

  @ApiProperty({
    type: () => ReportCellResponse,
    description: 'Cancelled or skipped (withdrawn parent, out of window…).',
  })
  cancelled!: ReportInvitationWave['cancelled'];

  @ApiProperty({ type: () => ReportCellResponse, description: 'answered / sent.' })
  responseRate!: ReportInvitationWave['responseRate'];
}

@ApiSchema({ name: 'ReportParentIndicatorsEnrolledByRole' })
export class ReportParentIndicatorsEnrolledByRoleResponse implements ReportParentIndicatorsEnrolledByRoleShape {
  @ApiProperty({ type: () => ReportCellResponse })
  mother!: ReportParentIndicatorsEnrolledByRoleShape['mother'];

  @ApiProperty({ type: () => ReportCellResponse })
  father!: ReportParentIndicatorsEnrolledByRoleShape['father'];

  @ApiProperty({ type: () => ReportCellResponse })
  co_parent!: ReportParentIndicatorsEnrolledByRoleShape['co_parent'];
}

/** One figure. Counts: `value` is the count, or null when suppressed (1 to 4). Rates (0..1) and durations: `value` is null when suppressed or when undefined (denominator 0 / no data). */
@ApiSchema({ name: 'ReportCell' })
export class ReportCellResponse implements ReportCell {
  @ApiProperty({ type: Number, nullable: true })
  value!: ReportCell['value'];

  @ApiProperty({ type: Boolean })
  suppressed!: ReportCell['suppressed'];

  @ApiPropertyOptional({
    enum: [...REPORT_SUPPRESSION_REASONS],
    description: 'Why a figure is hidden; present exactly when `suppressed`.',
  })
  reason?: ReportCell['reason'];
}

/** The console's funnel chart: enrolled → answered → positive → reached → in care. */
@ApiSchema({ name: 'ReportFunnel' })
export class ReportFunnelResponse implements ReportFunnel {
  @ApiProperty({ type: () => ReportCellResponse })
  enrolled!: ReportFunnel['enrolled'];

  @ApiProperty({ type: () => ReportCellResponse })
  answered!: ReportFunnel['answered'];

  @ApiProperty({ type: () => ReportCellResponse })
  positive!: ReportFunnel['positive'];

  @ApiProperty({ type: () => ReportCellResponse })
  reached!: ReportFunnel['reached'];

  @ApiProperty({ type: () => ReportCellResponse })
  inCare!: ReportFunnel['inCare'];
}

@ApiSchema({ name: 'ReportSmsIndicators' })
export class ReportSmsIndicatorsResponse implements ReportSmsIndicators {
  @ApiProperty({ type: () => ReportSmsIndicatorsByKindResponse })
  byKind!: ReportSmsIndicators['byKind'];

  @ApiProperty({ type: () => ReportCellResponse, description: 'Messages due in the period (not cancelled).' })
  planned!: ReportSmsIndicators['planned'];

  @ApiProperty({
    type: () => ReportCellResponse,
    description: 'Handed to the operator (queued, sent, delivered or undelivered): these are billed.',
  })
  accepted!: ReportSmsIndicators['accepted'];

  @ApiProperty({ type: () => ReportCellResponse })
  delivered!: ReportSmsIndicators['delivered'];

  @ApiProperty({ type: () => ReportCellResponse })
  undelivered!: ReportSmsIndicators['undelivered'];

  @ApiProperty({ type: () => ReportCellResponse })
  failed!: ReportSmsIndicators['failed'];

  @ApiProperty({
    type: () => ReportCellResponse,
    description: 'Segments of the accepted messages: the cost.',
  })
  segments!: ReportSmsIndicators['segments'];

  @ApiProperty({
    type: () => ReportCellResponse,
    description: 'delivered / (delivered + undelivered + failed).',
  })
  deliveryRate!: ReportSmsIndicators['deliveryRate'];
}

@ApiSchema({ name: 'ReportAlertIndicators' })
export class ReportAlertIndicatorsResponse implements ReportAlertIndicators {
  @ApiProperty({
    type: () => ReportCellResponse,
    description: 'Alerts raised in the period (every reason, non-response included).',
  })
  created!: ReportAlertIndicators['created'];

  @ApiProperty({ type: () => ReportAlertIndicatorsBySeverityResponse })
  bySeverity!: ReportAlertIndicators['bySeverity'];

  @ApiProperty({
    type: () => ReportCellResponse,
    description: 'Alerts raised by a positive screening (item 10, high or moderate score).',
  })
  positive!: ReportAlertIndicators['positive'];

  @ApiProperty({ type: () => ReportCellResponse })
  positiveReached!: ReportAlertIndicators['positiveReached'];

  @ApiProperty({
    type: () => ReportCellResponse,
    description: 'Share of positive parents reached: positiveReached / positive.',
  })
  positiveReachedRate!: ReportAlertIndicators['positiveReachedRate'];

  @ApiProperty({ type: () => ReportCellResponse, description: 'Any alert with a first contact.' })
  reached!: ReportAlertIndicators['reached'];

  @ApiProperty({ type: () => ReportCellResponse })
  referred!: ReportAlertIndicators['referred'];

  @ApiProperty({ type: () => ReportCellResponse })
  inCare!: ReportAlertIndicators['inCare'];

  @ApiProperty({ type: () => ReportCellResponse })
  positiveInCare!: ReportAlertIndicators['positiveInCare'];

  @ApiProperty({ type: () => ReportCellResponse })
  closed!: ReportAlertIndicators['closed'];

  @ApiProperty({ type: () => ReportAlertIndicatorsClosedByOutcomeResponse })
  closedByOutcome!: ReportAlertIndicators['closedByOutcome'];

  @ApiProperty({
    type: () => ReportAlertIndicatorsTimeToFirstContactResponse,
    description: "From the alert's creation to the first successful contact, over the alerts reached.",
  })
  timeToFirstContact!: ReportAlertIndicators['timeToFirstContact'];
}

@ApiSchema({ name: 'ReportResponseIndicators' })
export class ReportResponseIndicatorsResponse implements ReportResponseIndicators {
  @ApiProperty({ type: () => ReportBandCountsResponse })
  all!: ReportResponseIndicators['all'];

  @ApiProperty({ type: () => ReportResponseIndicatorsByRoleResponse })
  byRole!: ReportResponseIndicators['byRole'];

  @ApiProperty({ type: () => ReportResponseIndicatorsByWaveItemResponse, isArray: true })
  byWave!: ReportResponseIndicators['byWave'];
}

@ApiSchema({ name: 'ReportIndicatorsInvitations' })
export class ReportIndicatorsInvitationsResponse implements ReportIndicatorsInvitationsShape {
  @ApiProperty({ type: () => ReportInvitationWaveResponse })
  all!: ReportIndicatorsInvitationsShape['all'];

  @ApiProperty({ type: () => ReportInvitationWaveResponse, isArray: true })
  byWave!: ReportIndicatorsInvitationsShape['byWave'];
}

@ApiSchema({ name: 'ReportParentIndicators' })
export class ReportParentIndicatorsResponse implements ReportParentIndicators {
  @ApiProperty({ type: () => ReportCellResponse, description: 'Parents enrolled in the period, every role.' })
  enrolled!: ReportParentIndicators['enrolled'];

  @ApiProperty({ type: () => ReportParentIndicatorsEnrolledByRoleResponse })
  enrolledByRole!: ReportParentIndicators['enrolledByRole'];

  @ApiProperty({
    type: () => ReportCellResponse,
    description:
      "Opt-outs (parent's own choice) and withdrawals (by a professional) that happened in the period.",
  })
  optedOut!: ReportParentIndicators['optedOut'];

  @ApiProperty({ type: () => ReportCellResponse })
  withdrawn!: ReportParentIndicators['withdrawn'];

  @ApiProperty({
    type: () => ReportCellResponse,
    description: 'Births followed (a household counts once), by the day their first parent was enrolled.',
  })
  births!: ReportParentIndicators['births'];

  @ApiProperty({
    type: () => ReportCellResponse,
    description: 'Of which two parents or more answered at least one questionnaire.',
  })
  bothParentsScreened!: ReportParentIndicators['bothParentsScreened'];

  @ApiProperty({ type: () => ReportCellResponse, description: 'bothParentsScreened / births.' })
  bothParentsScreenedRate!: ReportParentIndicators['bothParentsScreenedRate'];
}

/** One breakdown line. `key`: "2026-03" (month), an organisation id, or a département code. `label`: the month, the organisation's name, or the département's name. */
@ApiSchema({ name: 'ReportGroup' })
export class ReportGroupResponse implements ReportGroup {
  @ApiProperty({ type: String })
  key!: ReportGroup['key'];

  @ApiProperty({ type: String })
  label!: ReportGroup['label'];

  @ApiPropertyOptional({
    type: String,
    description: "For organisation groups: the organisation's département.",
  })
  departement?: ReportGroup['departement'];

  @ApiProperty({ type: () => ReportIndicatorsResponse })
  indicators!: ReportGroup['indicators'];
}

@ApiSchema({ name: 'ReportIndicators' })
export class ReportIndicatorsResponse implements ReportIndicators {
  @ApiProperty({ type: () => ReportParentIndicatorsResponse })
  parents!: ReportIndicators['parents'];

  @ApiProperty({ type: () => ReportIndicatorsInvitationsResponse })
  invitations!: ReportIndicators['invitations'];

  @ApiProperty({ type: () => ReportResponseIndicatorsResponse })
  responses!: ReportIndicators['responses'];

  @ApiProperty({ type: () => ReportAlertIndicatorsResponse })
  alerts!: ReportIndicators['alerts'];

  @ApiProperty({ type: () => ReportSmsIndicatorsResponse })
  sms!: ReportIndicators['sms'];

  @ApiProperty({ type: () => ReportFunnelResponse })
  funnel!: ReportIndicators['funnel'];
}

/** `GET /api/reports/summary` response. */
@ApiSchema({ name: 'ReportSummary' })
export class ReportSummaryResponse implements ReportSummary {
  @ApiProperty({ type: String })
  from!: ReportSummary['from'];

  @ApiProperty({ type: String })
  to!: ReportSummary['to'];

  @ApiProperty({ enum: ['month', 'organisation', 'departement'], nullable: true })
  groupBy!: ReportSummary['groupBy'];

  @ApiProperty({
    type: String,
    isArray: true,
    description: 'The territory items applied (normalised), empty for none.',
  })
  territory!: ReportSummary['territory'];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  organisationId!: ReportSummary['organisationId'];

  @ApiProperty({
    type: Number,
    description: "Organisations inside the report's scope (organisations are not people: never suppressed).",
  })
  organisations!: ReportSummary['organisations'];

  @ApiProperty({ type: Number })
  suppressionThreshold!: ReportSummary['suppressionThreshold'];

  @ApiProperty({
    type: Number,
    description:
      '1: exact counts (platform admins); 5: every shown count rounded to the nearest multiple of 5.',
  })
  roundingBase!: ReportSummary['roundingBase'];

  @ApiProperty({
    enum: ['month', 'day'],
    description:
      'How the period was aligned; with `month`, `from` / `to` are the first / last day of whole months.',
  })
  periodUnit!: ReportSummary['periodUnit'];

  @ApiProperty({ type: String, format: 'date-time' })
  generatedAt!: ReportSummary['generatedAt'];

  @ApiProperty({ type: () => ReportIndicatorsResponse })
  total!: ReportSummary['total'];

  @ApiProperty({
    type: () => ReportGroupResponse,
    isArray: true,
    description:
      'With `groupBy`: every month of the period in order; or the organisations (by name) / départements (by code) that have data. Empty without `groupBy`. Groups and total are protected together: a total may show a figure whose parts are all hidden, but no hidden part equals the total minus the shown ones.',
  })
  groups!: ReportSummary['groups'];
}
