import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CreateMerchantDto {
  /** The merchant's display name. */
  @ApiProperty({ example: 'Acme Inc.' })
  @IsString()
  @Length(1, 200)
  name!: string;
}
