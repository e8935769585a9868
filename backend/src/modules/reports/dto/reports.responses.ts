import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type {
  ReportAlertIndicators,
  ReportBandCounts,
  ReportCareCascade,
  ReportCascadeCounts,
  ReportCell,
  ReportContactRequestIndicators,
  ReportScreeningSource,
  ReportSelfScreeningIndicators,
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

type ReportRoleCellsShape = ReportSelfScreeningIndicators['byRole'];
type ReportBandCellsShape = ReportSelfScreeningIndicators['byBand'];
type ReportChannelCellsShape = ReportContactRequestIndicators['byChannel'];
type ReportOriginCellsShape = ReportContactRequestIndicators['byOrigin'];
type ReportContactSourceShape = ReportContactRequestIndicators['bySource'][number];
type ReportCascadeMediansShape = ReportCascadeCounts['medianMinutes'];
type ReportCascadeByRoleShape = ReportCareCascade['byRole'];

@ApiSchema({ name: 'ReportRoleCells' })
export class ReportRoleCellsResponse implements ReportRoleCellsShape {
  @ApiProperty({ type: () => ReportCellResponse })
  mother!: ReportRoleCellsShape['mother'];

  @ApiProperty({ type: () => ReportCellResponse })
  father!: ReportRoleCellsShape['father'];

  @ApiProperty({ type: () => ReportCellResponse })
  co_parent!: ReportRoleCellsShape['co_parent'];
}

@ApiSchema({ name: 'ReportBandCells' })
export class ReportBandCellsResponse implements ReportBandCellsShape {
  @ApiProperty({ type: () => ReportCellResponse })
  low!: ReportBandCellsShape['low'];

  @ApiProperty({ type: () => ReportCellResponse })
  moderate!: ReportBandCellsShape['moderate'];

  @ApiProperty({ type: () => ReportCellResponse })
  high!: ReportBandCellsShape['high'];
}

/** Self-screenings of one source. */
@ApiSchema({ name: 'ReportScreeningSource' })
export class ReportScreeningSourceResponse implements ReportScreeningSource {
  @ApiProperty({
    type: String,
    description: 'The source code; "direct" without a code, "unknown" for a code no source has.',
  })
  source!: ReportScreeningSource['source'];

  @ApiProperty({
    type: String,
    nullable: true,
    description: "The source's name; null for direct and unknown.",
  })
  name!: ReportScreeningSource['name'];

  @ApiProperty({ type: () => ReportCellResponse })
  screenings!: ReportScreeningSource['screenings'];

  @ApiProperty({ type: () => ReportCellResponse, description: 'Moderate or high band, or item 10 positive.' })
  positive!: ReportScreeningSource['positive'];
}

/** Anonymous self-screenings, by the organisation of their source (or of their contact request). */
@ApiSchema({ name: 'ReportSelfScreeningIndicators' })
export class ReportSelfScreeningIndicatorsResponse implements ReportSelfScreeningIndicators {
  @ApiProperty({ type: () => ReportCellResponse })
  screenings!: ReportSelfScreeningIndicators['screenings'];

  @ApiProperty({ type: () => ReportScreeningSourceResponse, isArray: true })
  bySource!: ReportSelfScreeningIndicators['bySource'];

  @ApiProperty({ type: () => ReportRoleCellsResponse })
  byRole!: ReportSelfScreeningIndicators['byRole'];

  @ApiProperty({ type: () => ReportBandCellsResponse })
  byBand!: ReportSelfScreeningIndicators['byBand'];

  @ApiProperty({ type: () => ReportCellResponse })
  item10Positive!: ReportSelfScreeningIndicators['item10Positive'];

  @ApiProperty({ type: () => ReportCellResponse })
  positive!: ReportSelfScreeningIndicators['positive'];

  @ApiProperty({ type: () => ReportCellResponse, description: 'positive / screenings.' })
  positiveRate!: ReportSelfScreeningIndicators['positiveRate'];
}

@ApiSchema({ name: 'ReportChannelCells' })
export class ReportChannelCellsResponse implements ReportChannelCellsShape {
  @ApiProperty({ type: () => ReportCellResponse })
  call!: ReportChannelCellsShape['call'];

  @ApiProperty({ type: () => ReportCellResponse })
  sms!: ReportChannelCellsShape['sms'];

  @ApiProperty({ type: () => ReportCellResponse })
  email!: ReportChannelCellsShape['email'];
}

@ApiSchema({ name: 'ReportOriginCells' })
export class ReportOriginCellsResponse implements ReportOriginCellsShape {
  @ApiProperty({ type: () => ReportCellResponse })
  self_screening!: ReportOriginCellsShape['self_screening'];

  @ApiProperty({ type: () => ReportCellResponse })
  invited!: ReportOriginCellsShape['invited'];
}

@ApiSchema({ name: 'ReportContactSource' })
export class ReportContactSourceResponse implements ReportContactSourceShape {
  @ApiProperty({ type: String })
  source!: ReportContactSourceShape['source'];

  @ApiProperty({ type: String, nullable: true })
  name!: ReportContactSourceShape['name'];

  @ApiProperty({ type: () => ReportCellResponse })
  requests!: ReportContactSourceShape['requests'];
}

/** "Be contacted" requests made in the period, and what became of them. */
@ApiSchema({ name: 'ReportContactRequestIndicators' })
export class ReportContactRequestIndicatorsResponse implements ReportContactRequestIndicators {
  @ApiProperty({ type: () => ReportCellResponse })
  requests!: ReportContactRequestIndicators['requests'];

  @ApiProperty({ type: () => ReportChannelCellsResponse })
  byChannel!: ReportContactRequestIndicators['byChannel'];

  @ApiProperty({ type: () => ReportOriginCellsResponse })
  byOrigin!: ReportContactRequestIndicators['byOrigin'];

  @ApiProperty({
    type: () => ReportContactSourceResponse,
    isArray: true,
    description: 'By self-screening source.',
  })
  bySource!: ReportContactRequestIndicators['bySource'];

  @ApiProperty({ type: () => ReportCellResponse })
  reached!: ReportContactRequestIndicators['reached'];

  @ApiProperty({
    type: () => ReportCellResponse,
    description: 'From the request to the first successful contact (minutes), over the requests reached.',
  })
  medianMinutesToFirstContact!: ReportContactRequestIndicators['medianMinutesToFirstContact'];

  @ApiProperty({ type: () => ReportCellResponse })
  enrolled!: ReportContactRequestIndicators['enrolled'];

  @ApiProperty({ type: () => ReportCellResponse })
  inCare!: ReportContactRequestIndicators['inCare'];

  @ApiProperty({ type: () => ReportCellResponse })
  enrolledRate!: ReportContactRequestIndicators['enrolledRate'];

  @ApiProperty({ type: () => ReportCellResponse })
  inCareRate!: ReportContactRequestIndicators['inCareRate'];
}

/** Median delays between the steps (minutes). */
@ApiSchema({ name: 'ReportCascadeMedians' })
export class ReportCascadeMediansResponse implements ReportCascadeMediansShape {
  @ApiProperty({ type: () => ReportCellResponse })
  positiveToReached!: ReportCascadeMediansShape['positiveToReached'];

  @ApiProperty({ type: () => ReportCellResponse })
  reachedToReferred!: ReportCascadeMediansShape['reachedToReferred'];

  @ApiProperty({ type: () => ReportCellResponse })
  referredToInCare!: ReportCascadeMediansShape['referredToInCare'];
}

/** The care cascade of one set of parents. */
@ApiSchema({ name: 'ReportCascadeCounts' })
export class ReportCascadeCountsResponse implements ReportCascadeCounts {
  @ApiProperty({ type: () => ReportCellResponse })
  screened!: ReportCascadeCounts['screened'];

  @ApiProperty({ type: () => ReportCellResponse })
  positive!: ReportCascadeCounts['positive'];

  @ApiProperty({ type: () => ReportCellResponse })
  reached!: ReportCascadeCounts['reached'];

  @ApiProperty({ type: () => ReportCellResponse })
  referred!: ReportCascadeCounts['referred'];

  @ApiProperty({ type: () => ReportCellResponse })
  inCare!: ReportCascadeCounts['inCare'];

  @ApiProperty({ type: () => ReportCellResponse })
  reachedWithinDeadline!: ReportCascadeCounts['reachedWithinDeadline'];

  @ApiProperty({ type: () => ReportCellResponse, description: 'reachedWithinDeadline / positive.' })
  reachedWithinDeadlineRate!: ReportCascadeCounts['reachedWithinDeadlineRate'];

  @ApiProperty({ type: () => ReportCascadeMediansResponse })
  medianMinutes!: ReportCascadeCounts['medianMinutes'];
}

@ApiSchema({ name: 'ReportCascadeByRole' })
export class ReportCascadeByRoleResponse implements ReportCascadeByRoleShape {
  @ApiProperty({ type: () => ReportCascadeCountsResponse })
  mother!: ReportCascadeByRoleShape['mother'];

  @ApiProperty({ type: () => ReportCascadeCountsResponse })
  father!: ReportCascadeByRoleShape['father'];

  @ApiProperty({ type: () => ReportCascadeCountsResponse })
  co_parent!: ReportCascadeByRoleShape['co_parent'];
}

/** Screened, positive, reached, referred, in care: every parent role, and by role. */
@ApiSchema({ name: 'ReportCareCascade' })
export class ReportCareCascadeResponse implements ReportCareCascade {
  @ApiProperty({ type: () => ReportCellResponse })
  screened!: ReportCareCascade['screened'];

  @ApiProperty({ type: () => ReportCellResponse })
  positive!: ReportCareCascade['positive'];

  @ApiProperty({ type: () => ReportCellResponse })
  reached!: ReportCareCascade['reached'];

  @ApiProperty({ type: () => ReportCellResponse })
  referred!: ReportCareCascade['referred'];

  @ApiProperty({ type: () => ReportCellResponse })
  inCare!: ReportCareCascade['inCare'];

  @ApiProperty({ type: () => ReportCellResponse })
  reachedWithinDeadline!: ReportCareCascade['reachedWithinDeadline'];

  @ApiProperty({ type: () => ReportCellResponse, description: 'reachedWithinDeadline / positive.' })
  reachedWithinDeadlineRate!: ReportCareCascade['reachedWithinDeadlineRate'];

  @ApiProperty({ type: () => ReportCascadeMediansResponse })
  medianMinutes!: ReportCareCascade['medianMinutes'];

  @ApiProperty({ type: () => ReportCascadeByRoleResponse })
  byRole!: ReportCareCascade['byRole'];
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

  @ApiProperty({ type: () => ReportSelfScreeningIndicatorsResponse })
  selfScreenings!: ReportIndicators['selfScreenings'];

  @ApiProperty({ type: () => ReportContactRequestIndicatorsResponse })
  contactRequests!: ReportIndicators['contactRequests'];

  @ApiProperty({ type: () => ReportCareCascadeResponse })
  cascade!: ReportIndicators['cascade'];
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
