import { ArrayMaxSize, IsArray, IsBoolean, IsIn, Matches } from 'class-validator';
import {
  USER_ROLES,
  type InviteUserRequest,
  type PasswordResetRequest,
  type SetPasswordRequest,
  type UpdateUserRequest,
  type UserRole,
} from '@lien/shared';
import {
  EnumField,
  Field,
  NestedField,
  TextField,
  UuidField,
  type FieldOptions,
} from '../../../common/api-fields.js';
import { PageQuery } from '../../../common/paging.js';
import { IsEmailAddress } from '../../../common/validation.js';
import { DEPARTEMENT_CODES, IsRegion } from '../../organisations/dto/organisation.dto.js';

/** An RPPS number (the national directory of health professionals); null removes it. */
function RppsField(options: FieldOptions = {}): PropertyDecorator {
  return Field(
    { optional: true, ...options, nullable: true },
    Matches(/^\d{11}$/, { message: 'rpps must be the 11 digits of an RPPS number' }),
  );
}

export class TerritoryDto {
  @Field(
    { optional: true, example: ['62', '59'], description: 'INSEE département codes' },
    IsArray(),
    ArrayMaxSize(101),
    IsIn(DEPARTEMENT_CODES, {
      each: true,
      message: 'departements must hold INSEE département codes such as "62" or "974"',
    }),
  )
  departements?: string[];

  @Field({ optional: true, example: 'Hauts-de-France', nullable: true }, IsRegion())
  region?: string | null;
}

export class InviteUserDto implements InviteUserRequest {
  @Field({ example: 'sage-femme@pmi62.fr' }, IsEmailAddress()) email!: string;
  @TextField({ example: 'Claire Martin', min: 1, max: 200 }) displayName!: string;
  @EnumField(USER_ROLES) role!: UserRole;
  @UuidField({ optional: true, description: 'Platform admins: the organisation of an org admin' })
  organisationId?: string;

  @NestedField(TerritoryDto, { optional: true, description: 'Coordinators only' })
  territory?: TerritoryDto;

  @RppsField({ example: '10001234567' }) rpps?: string | null;
}

export class UpdateUserDto implements UpdateUserRequest {
  @TextField({ optional: 'not-null', min: 1, max: 200 }) displayName?: string;
  @EnumField(USER_ROLES, { optional: 'not-null' }) role?: UserRole;
  @Field({ optional: 'not-null' }, IsBoolean()) active?: boolean;
  @NestedField(TerritoryDto, { optional: 'not-null' }) territory?: TerritoryDto;
  @RppsField() rpps?: string | null;
}

export class UserListQueryDto extends PageQuery {
  @UuidField({ optional: true }) organisationId?: string;
  @EnumField(USER_ROLES, { optional: true }) role?: UserRole;
  @EnumField(['true', 'false'], { optional: true }) active?: 'true' | 'false';
  @TextField({ optional: true, max: 100 }) search?: string;
}

export class PasswordResetRequestDto implements PasswordResetRequest {
  @TextField({ max: 254 }) email!: string;
}

export class SetPasswordDto implements SetPasswordRequest {
  @TextField({ min: 16, max: 128 }) token!: string;
  @TextField({ max: 1000 }) password!: string;
}

export class ChangePasswordDto {
  @TextField({ max: 1000 }) currentPassword!: string;
  @TextField({ max: 1000 }) newPassword!: string;
}
