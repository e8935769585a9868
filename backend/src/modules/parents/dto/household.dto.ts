import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import type { EnrolHouseholdRequest, InviteOtherParentRequest, LinkHouseholdRequest } from '@lien/shared';
import { EnrolParentDto } from './parent.dto.js';

/** The parents of one birth: the mother and the father or co-parent (two, or three for a co-parent too). */
export class EnrolHouseholdDto implements EnrolHouseholdRequest {
  @ApiProperty({ type: [EnrolParentDto], minItems: 2, maxItems: 3 })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  @Type(() => EnrolParentDto)
  parents!: EnrolParentDto[];
}

export class LinkHouseholdDto implements LinkHouseholdRequest {
  @ApiProperty({ description: 'Another parent of the same organisation and birth' })
  @IsUUID('all')
  parentId!: string;
}

export class InviteOtherParentDto implements InviteOtherParentRequest {
  @ApiPropertyOptional({
    type: EnrolParentDto,
    description: 'The other parent to enrol (own phone and consent) when not enrolled yet',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => EnrolParentDto)
  parent?: EnrolParentDto;
}
