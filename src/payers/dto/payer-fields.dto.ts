import { IsOptional, IsString, Length } from 'class-validator';

/** Who pays: exactly one of customer / account (the payers context checks which, and that it exists). */
export class PayerFieldsDto {
  @IsOptional()
  @IsString()
  @Length(1, 64)
  customer?: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  account?: string;
}
