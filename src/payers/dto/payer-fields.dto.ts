import { IsString, Length } from 'class-validator';
import { Optional } from '../../common/validation/optional.js';

/** Who pays: exactly one of customer / account (the payers context checks which, and that it exists). */
export class PayerFieldsDto {
  @Optional()
  @IsString()
  @Length(1, 64)
  customer?: string;

  @Optional()
  @IsString()
  @Length(1, 64)
  account?: string;
}
