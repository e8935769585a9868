import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  Equals,
  IsBoolean,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  PARENT_ROLES,
  PARENT_STATUSES,
  SUPPORTED_EPDS_LANGUAGES,
  type EnrolParentRequest,
  type ParentRole,
  type ParentStatus,
  type UpdateParentRequest,
} from '@lien/shared';
import { PageQuery } from '../../../common/paging.js';
import { IsOptionalNotNull } from '../../../common/validation.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** At least one letter, no control characters. */
const NAME = /^(?=.*\p{L})[^\p{Cc}]+$/u;
const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class ConsentDto {
  @ApiProperty({ description: 'Must be true' })
  @IsBoolean()
  @Equals(true, { message: 'consent.given must be true: enrolment needs the parent’s consent' })
  given!: boolean;

  @ApiProperty({ example: '2026-01', description: 'Version of the consent text shown to the parent' })
  @IsString()
  @Transform(trim)
  @Length(1, 32)
  textVersion!: string;
}

export class EnrolParentDto implements EnrolParentRequest {
  @ApiProperty({ example: 'Camille' })
  @IsString()
  @Transform(trim)
  @Length(1, 100)
  @Matches(NAME, { message: 'firstName must contain letters and no control characters' })
  firstName!: string;

  @ApiProperty({ example: 'Martin' })
  @IsString()
  @Transform(trim)
  @Length(1, 100)
  @Matches(NAME, { message: 'lastName must contain letters and no control characters' })
  lastName!: string;

  @ApiProperty({ example: '06 12 34 56 78', description: 'French mobile, metropolitan or overseas' })
  @IsString()
  @MaxLength(40)
  phone!: string;

  @ApiProperty({ enum: PARENT_ROLES })
  @IsIn(PARENT_ROLES)
  role!: ParentRole;

  @ApiProperty({ enum: SUPPORTED_EPDS_LANGUAGES })
  @IsIn(SUPPORTED_EPDS_LANGUAGES)
  language!: string;

  @ApiPropertyOptional({ example: '2026-02-26' })
  @IsOptional()
  @IsString()
  @Matches(ISO_DATE, { message: 'birthDate must be a date YYYY-MM-DD' })
  birthDate?: string;

  @ApiPropertyOptional({ example: '2026-06-15' })
  @IsOptional()
  @IsString()
  @Matches(ISO_DATE, { message: 'expectedTermDate must be a date YYYY-MM-DD' })
  expectedTermDate?: string;

  @ApiPropertyOptional({
    description: 'A user of the same organisation; defaults to the enrolling professional',
  })
  @IsOptional()
  @IsUUID('all')
  referentUserId?: string;

  @ApiProperty({ type: ConsentDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent!: ConsentDto;
}

export class UpdateParentDto implements UpdateParentRequest {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @Transform(trim)
  @Length(1, 100)
  @Matches(NAME, { message: 'firstName must contain letters and no control characters' })
  firstName?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @Transform(trim)
  @Length(1, 100)
  @Matches(NAME, { message: 'lastName must contain letters and no control characters' })
  lastName?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(40)
  phone?: string;

  @ApiPropertyOptional({ enum: PARENT_ROLES })
  @IsOptionalNotNull()
  @IsIn(PARENT_ROLES)
  role?: ParentRole;

  @ApiPropertyOptional({ enum: SUPPORTED_EPDS_LANGUAGES })
  @IsOptionalNotNull()
  @IsIn(SUPPORTED_EPDS_LANGUAGES)
  language?: string;

  @ApiPropertyOptional({
    description: 'Records the birth of an antenatal enrolment (plans the waves); cannot change once set',
  })
  @IsOptionalNotNull()
  @IsString()
  @Matches(ISO_DATE, { message: 'birthDate must be a date YYYY-MM-DD' })
  birthDate?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @Matches(ISO_DATE, { message: 'expectedTermDate must be a date YYYY-MM-DD' })
  expectedTermDate?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsUUID('all')
  referentUserId?: string;
}

export class ListParentsQuery extends PageQuery {
  @ApiPropertyOptional({
    description:
      'A phone number, or the start of a first or last name (2 letters at least; case and accents ignored)',
  })
  @IsOptional()
  @IsString()
  @Transform(trim)
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: PARENT_STATUSES })
  @IsOptional()
  @IsIn(PARENT_STATUSES)
  status?: ParentStatus;
}
