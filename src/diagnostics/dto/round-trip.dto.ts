import { IsString, Length } from 'class-validator';

export class RoundTripDto {
  /** The merchant whose data the worker reads back. */
  @IsString()
  @Length(1, 64)
  merchant_id!: string;
}
