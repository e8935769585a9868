import { Equals, IsBoolean } from 'class-validator';
import {
  PARENT_ROLES,
  PARENT_STATUSES,
  SUPPORTED_EPDS_LANGUAGES,
  type EnrolParentRequest,
  type ParentRole,
  type ParentStatus,
  type UpdateParentRequest,
} from '@lien/shared';
import { EnumField, Field, NestedField, TextField, UuidField } from '../../../common/api-fields.js';
import { PageQuery } from '../../../common/paging.js';
import { IsoDayField, ParentNameField, ParentPhoneField } from './parent-fields.js';

export class ConsentDto {
  @Field(
    { description: 'Must be true' },
    IsBoolean(),
    Equals(true, { message: 'consent.given must be true: enrolment needs the parent’s consent' }),
  )
  given!: boolean;

  @TextField({
    example: '2026-01',
    description: 'Version of the consent text shown to the parent',
    trim: true,
    min: 1,
    max: 32,
  })
  textVersion!: string;
}

export class EnrolParentDto implements EnrolParentRequest {
  @ParentNameField({ example: 'Camille' }) firstName!: string;
  @ParentNameField({ example: 'Martin' }) lastName!: string;
  @ParentPhoneField({ example: '06 12 34 56 78', description: 'French mobile, metropolitan or overseas' })
  phone!: string;

  @EnumField(PARENT_ROLES) role!: ParentRole;
  @EnumField(SUPPORTED_EPDS_LANGUAGES) language!: string;
  @IsoDayField({ optional: true, example: '2026-02-26' }) birthDate?: string;
  @IsoDayField({ optional: true, example: '2026-06-15' }) expectedTermDate?: string;
  @UuidField({
    optional: true,
    description: 'A user of the same organisation; defaults to the enrolling professional',
  })
  referentUserId?: string;

  @NestedField(ConsentDto) consent!: ConsentDto;
}

export class UpdateParentDto implements UpdateParentRequest {
  @ParentNameField({ optional: 'not-null' }) firstName?: string;
  @ParentNameField({ optional: 'not-null' }) lastName?: string;
  @ParentPhoneField({ optional: 'not-null' }) phone?: string;
  @EnumField(PARENT_ROLES, { optional: 'not-null' }) role?: ParentRole;
  @EnumField(SUPPORTED_EPDS_LANGUAGES, { optional: 'not-null' }) language?: string;
  @IsoDayField({
    optional: 'not-null',
    description: 'Records the birth of an antenatal enrolment (plans the waves); cannot change once set',
  })
  birthDate?: string;

  @IsoDayField({ optional: 'not-null' }) expectedTermDate?: string;
  @UuidField({ optional: 'not-null' }) referentUserId?: string;
}

export class ListParentsQuery extends PageQuery {
  @TextField({
    optional: true,
    description:
      'A phone number, or the start of a first or last name (2 letters at least; case and accents ignored)',
    trim: true,
    max: 100,
  })
  q?: string;

  @EnumField(PARENT_STATUSES, { optional: true }) status?: ParentStatus;
}
