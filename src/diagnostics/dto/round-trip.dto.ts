import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class RoundTripDto {
  /** The merchant whose data the worker reads back (an unknown id reads back nothing, not an error). */
  @ApiProperty({ example: 'mer_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  @IsString()
  @Length(1, 64)
  merchant_id!: string;
}
