import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { RotaEntry, RotaGap, RotaView } from '@lien/shared';

type RotaViewEntryShape = RotaEntry;

@ApiSchema({ name: 'RotaEntry' })
export class RotaEntryResponse implements RotaViewEntryShape {
  @ApiProperty({ type: String, format: 'uuid', description: 'The professional on call' })
  userId!: RotaViewEntryShape['userId'];

  @ApiProperty({
    type: Number,
    isArray: true,
    description: 'ISO weekdays, 1 = Monday',
    example: [1, 2, 3, 4, 5],
  })
  weekdays!: RotaViewEntryShape['weekdays'];

  @ApiProperty({ type: String, description: 'Local time HH:MM', example: '18:00' })
  start!: RotaViewEntryShape['start'];

  @ApiProperty({
    type: String,
    description: 'Local time HH:MM; before `start`: runs past midnight',
    example: '08:00',
  })
  end!: RotaViewEntryShape['end'];

  @ApiProperty({ type: String, description: 'E.164 number to page', example: '+33612345678' })
  phone!: RotaViewEntryShape['phone'];
}

@ApiSchema({ name: 'RotaGap' })
export class RotaGapResponse implements RotaGap {
  @ApiProperty({ type: Number, description: 'ISO weekday, 1 = Monday' })
  weekday!: RotaGap['weekday'];

  @ApiProperty({ type: String, example: '08:00' })
  start!: RotaGap['start'];

  @ApiProperty({
    type: String,
    description: '"24:00" when the gap runs to the end of the day',
    example: '24:00',
  })
  end!: RotaGap['end'];
}

@ApiSchema({ name: 'RotaView' })
export class RotaViewResponse implements RotaView {
  @ApiProperty({
    type: Number,
    description: 'Minutes an urgent alert waits for an acknowledgement before paging',
  })
  ackMinutes!: RotaView['ackMinutes'];

  @ApiProperty({ type: Boolean, description: 'Also place a voice call' })
  voice!: RotaView['voice'];

  @ApiProperty({ type: () => RotaEntryResponse, isArray: true })
  entries!: RotaView['entries'];

  @ApiProperty({
    type: () => RotaGapResponse,
    isArray: true,
    description: 'Where nobody is on call (local time): an urgent alert then pages the organisation admin',
  })
  gaps!: RotaView['gaps'];
}
