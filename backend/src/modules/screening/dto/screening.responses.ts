import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  CONTACT_REQUEST_CHANNELS,
  CONTACT_REQUEST_STATUSES,
  CONTACT_ROUTINGS,
  CONTACT_TIME_SLOTS,
  EPDS_BANDS,
  PARENT_ROLES,
} from '@lien/shared';
import type {
  ContactRequestCreated,
  ContactRequestIdentity,
  ContactRequestView,
  ScreeningSourceStats,
  ScreeningSourceView,
  ScreeningSourceWidget,
} from '@lien/shared';
import { ReportCellResponse } from '../../reports/dto/reports.responses.js';

/** A contact request as the console shows it (identity only through the audited identity read). */
@ApiSchema({ name: 'ContactRequestView' })
export class ContactRequestViewResponse implements ContactRequestView {
  @ApiProperty({ type: String, format: 'uuid' })
  id!: ContactRequestView['id'];

  @ApiProperty({ type: String, format: 'uuid' })
  organisationId!: ContactRequestView['organisationId'];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  alertId!: ContactRequestView['alertId'];

  @ApiProperty({
    enum: [...CONTACT_ROUTINGS],
    description:
      'How the request found its team: served postal code, département default, regional queue, national fallback, or `invited` (an enrolled parent, their own team).',
  })
  routing!: ContactRequestView['routing'];

  @ApiProperty({ type: String, nullable: true })
  postalCode!: ContactRequestView['postalCode'];

  @ApiProperty({ type: String, nullable: true })
  departement!: ContactRequestView['departement'];

  @ApiProperty({ enum: [...PARENT_ROLES] })
  role!: ContactRequestView['role'];

  @ApiProperty({ type: String })
  language!: ContactRequestView['language'];

  @ApiProperty({ type: Number, nullable: true })
  childAgeWeeks!: ContactRequestView['childAgeWeeks'];

  @ApiProperty({ type: Boolean })
  pregnant!: ContactRequestView['pregnant'];

  @ApiProperty({ enum: [...EPDS_BANDS], nullable: true })
  band!: ContactRequestView['band'];

  @ApiProperty({ type: Boolean })
  item10Positive!: ContactRequestView['item10Positive'];

  @ApiProperty({ enum: [...CONTACT_REQUEST_CHANNELS] })
  channel!: ContactRequestView['channel'];

  @ApiProperty({ enum: [...CONTACT_TIME_SLOTS], isArray: true })
  timeSlots!: ContactRequestView['timeSlots'];

  @ApiProperty({ type: String })
  consentTextVersion!: ContactRequestView['consentTextVersion'];

  @ApiProperty({ enum: [...CONTACT_REQUEST_STATUSES] })
  status!: ContactRequestView['status'];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  enrolledParentId!: ContactRequestView['enrolledParentId'];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: ContactRequestView['createdAt'];
}

/** `GET /api/contact-requests/:id/identity`: decrypted, and the read is audited. */
@ApiSchema({ name: 'ContactRequestIdentity' })
export class ContactRequestIdentityResponse implements ContactRequestIdentity {
  @ApiProperty({ type: String, format: 'uuid' })
  id!: ContactRequestIdentity['id'];

  @ApiProperty({ type: String })
  firstName!: ContactRequestIdentity['firstName'];

  @ApiProperty({ type: String, nullable: true, description: 'E.164, e.g. "+33612345678".' })
  phone!: ContactRequestIdentity['phone'];

  @ApiProperty({ type: String, nullable: true })
  email!: ContactRequestIdentity['email'];
}

/** `POST /api/public/contact-requests` answer. */
@ApiSchema({ name: 'ContactRequestCreated' })
export class ContactRequestCreatedResponse implements ContactRequestCreated {
  @ApiProperty({ type: String, format: 'uuid' })
  id!: ContactRequestCreated['id'];

  @ApiProperty({ type: String, description: 'The team that will contact the parent.' })
  organisationName!: ContactRequestCreated['organisationName'];

  @ApiProperty({ type: String, description: 'Within what delay, in words of the requested language.' })
  delay!: ContactRequestCreated['delay'];
}

/** A partner source of self-screenings, as org admins manage it. */
@ApiSchema({ name: 'ScreeningSourceView' })
export class ScreeningSourceViewResponse implements ScreeningSourceView {
  @ApiProperty({ type: String, format: 'uuid' })
  id!: ScreeningSourceView['id'];

  @ApiProperty({ type: String })
  code!: ScreeningSourceView['code'];

  @ApiProperty({ type: String })
  name!: ScreeningSourceView['name'];

  @ApiProperty({ type: String, nullable: true })
  partner!: ScreeningSourceView['partner'];

  @ApiProperty({ type: String, description: 'The page it leads to: `<PUBLIC_BASE_URL>/depistage/<code>`.' })
  url!: ScreeningSourceView['url'];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: ScreeningSourceView['createdAt'];
}

/** Counts of one source, with the reports' small-cell protection (1–4 hidden). */
@ApiSchema({ name: 'ScreeningSourceStats' })
export class ScreeningSourceStatsResponse implements ScreeningSourceStats {
  @ApiProperty({ type: () => ScreeningSourceViewResponse })
  source!: ScreeningSourceStats['source'];

  @ApiProperty({ type: () => ReportCellResponse })
  screenings!: ScreeningSourceStats['screenings'];

  @ApiProperty({ type: () => ReportCellResponse, description: 'Moderate or high band, or item 10 positive.' })
  positive!: ScreeningSourceStats['positive'];

  @ApiProperty({ type: () => ReportCellResponse })
  positiveRate!: ScreeningSourceStats['positiveRate'];

  @ApiProperty({ type: () => ReportCellResponse })
  contactRequests!: ScreeningSourceStats['contactRequests'];
}

/** `GET /api/screening-sources/:id/widget`. */
@ApiSchema({ name: 'ScreeningSourceWidget' })
export class ScreeningSourceWidgetResponse implements ScreeningSourceWidget {
  @ApiProperty({ type: String, description: 'The embeddable page (`?embed=1`).' })
  url!: ScreeningSourceWidget['url'];

  @ApiProperty({ type: String, description: 'An iframe and a small script that sets its height.' })
  snippet!: ScreeningSourceWidget['snippet'];
}
