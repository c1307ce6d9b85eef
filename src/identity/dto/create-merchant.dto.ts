import { IsString, Length } from 'class-validator';

export class CreateMerchantDto {
  /** The merchant's display name. */
  @IsString()
  @Length(1, 200)
  name!: string;
}
