import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import type { EnrolHouseholdRequest, InviteOtherParentRequest, LinkHouseholdRequest } from '@lien/shared';
import { Field, NestedField, UuidField } from '../../../common/api-fields.js';
import { EnrolParentDto } from './parent.dto.js';

/** The parents of one birth: the mother and the father or co-parent (two, or three for a co-parent too). */
export class EnrolHouseholdDto implements EnrolHouseholdRequest {
  @Field(
    { type: [EnrolParentDto], minItems: 2, maxItems: 3 },
    IsArray(),
    ArrayMinSize(2),
    ArrayMaxSize(3),
    ValidateNested({ each: true }),
    Type(() => EnrolParentDto),
  )
  parents!: EnrolParentDto[];
}

export class LinkHouseholdDto implements LinkHouseholdRequest {
  @UuidField({ description: 'Another parent of the same organisation and birth' }) parentId!: string;
}

export class InviteOtherParentDto implements InviteOtherParentRequest {
  @NestedField(EnrolParentDto, {
    optional: true,
    description: 'The other parent to enrol (own phone and consent) when not enrolled yet',
  })
  parent?: EnrolParentDto;
}
