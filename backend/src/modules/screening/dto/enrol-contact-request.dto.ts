import { SUPPORTED_EPDS_LANGUAGES, type ContactRequestEnrolRequest } from '@lien/shared';
import { EnumField, NestedField, UuidField } from '../../../common/api-fields.js';
import { ConsentDto } from '../../parents/dto/parent.dto.js';
import { IsoDayField, ParentNameField, ParentPhoneField } from '../../parents/dto/parent-fields.js';

/** What enrolment needs beyond the request (first name, phone, role and language come pre-filled). */
export class EnrolContactRequestDto implements ContactRequestEnrolRequest {
  @ParentNameField({ example: 'Martin' }) lastName!: string;
  @IsoDayField({ optional: true, example: '2026-02-26' }) birthDate?: string;
  @IsoDayField({ optional: true, example: '2026-06-15' }) expectedTermDate?: string;
  @ParentNameField({ optional: true, description: 'Overrides the first name of the request' })
  firstName?: string;

  @ParentPhoneField({
    optional: true,
    description: 'Overrides the phone of the request (required if it gave none)',
  })
  phone?: string;

  @EnumField(SUPPORTED_EPDS_LANGUAGES, { optional: true }) language?: string;
  @UuidField({ optional: true }) referentUserId?: string;
  @NestedField(ConsentDto) consent!: ConsentDto;
}
