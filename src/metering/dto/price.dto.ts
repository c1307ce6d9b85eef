import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { NON_NEGATIVE_DECIMAL_PATTERN } from '../../common/validation/decorators.js';
import { MAX_TIERS, PACKAGE_ROUNDINGS, type PackageRounding } from '../domain/price.js';

const DECIMAL = { type: 'string', pattern: NON_NEGATIVE_DECIMAL_PATTERN } as const;
const MONEY_RULE = "in whole minor units of the metric's currency (at most 2 decimals for usd)";

/**
 * The documented shape of prices, for the OpenAPI document: the API checks prices with
 * `parsePrice` (src/metering/domain/price.ts), which also answers the rules a schema cannot say
 * (ascending tiers, money in minor units, minimum ≤ maximum) with their codes.
 */
abstract class PriceBounds {
  @ApiPropertyOptional({
    ...DECIMAL,
    nullable: true,
    description: `The floor of the priced line's amount (${MONEY_RULE}); a line with usage bills at least this. null: none.`,
    example: '10.00',
  })
  minimum_amount?: string | null;

  @ApiPropertyOptional({
    ...DECIMAL,
    nullable: true,
    description: `The cap of the priced line's amount (${MONEY_RULE}), not below minimum_amount. null: none.`,
    example: '500.00',
  })
  maximum_amount?: string | null;
}

/** `unit_amount` × the period's quantity. */
export class PerUnitPrice extends PriceBounds {
  @ApiProperty({ enum: ['per_unit'] })
  model!: 'per_unit';

  @ApiProperty({
    ...DECIMAL,
    description: 'The price of one unit; may have more decimals than money.',
    example: '0.001',
  })
  unit_amount!: string;
}

/** One tier: the units above the previous tier's up_to, up to and including its own. */
export class PriceTier {
  @ApiProperty({
    ...DECIMAL,
    nullable: true,
    description:
      "The last unit of the tier, above the previous tier's (tiers ascend); null for the last tier, and only for it.",
    example: '1000',
  })
  up_to!: string | null;

  @ApiProperty({ ...DECIMAL, description: 'The price of each unit in the tier.', example: '0.002' })
  unit_amount!: string;

  @ApiPropertyOptional({
    ...DECIMAL,
    description: `Added once when the period's usage reaches the tier (${MONEY_RULE}); default 0.`,
    example: '0',
  })
  flat_amount?: string;
}

abstract class TieredPrice extends PriceBounds {
  @ApiProperty({ type: () => [PriceTier], minItems: 1, maxItems: MAX_TIERS })
  tiers!: PriceTier[];
}

/** Each unit of the period's quantity at the tier it falls in; each reached tier adds its flat amount once. */
export class GraduatedPrice extends TieredPrice {
  @ApiProperty({ enum: ['graduated'] })
  model!: 'graduated';
}

/** The whole period's quantity at the tier its total falls in, plus that tier's flat amount. */
export class VolumePrice extends TieredPrice {
  @ApiProperty({ enum: ['volume'] })
  model!: 'volume';
}

/** `package_amount` per started (up) or whole (down) package of `package_size` units. */
export class PackagePrice extends PriceBounds {
  @ApiProperty({ enum: ['package'] })
  model!: 'package';

  @ApiProperty({ ...DECIMAL, description: 'Units in one package; more than zero.', example: '1000' })
  package_size!: string;

  @ApiProperty({ ...DECIMAL, description: `The price of one package (${MONEY_RULE}).`, example: '5.00' })
  package_amount!: string;

  @ApiPropertyOptional({
    enum: PACKAGE_ROUNDINGS,
    default: 'up',
    description: 'A partial package: up counts it, down drops it.',
  })
  rounding?: PackageRounding;
}

export const PRICE_DOCS = [PerUnitPrice, GraduatedPrice, VolumePrice, PackagePrice] as const;

/** The schema of a price: one of the four models, told apart by `model`. */
export function priceSchema() {
  return {
    oneOf: PRICE_DOCS.map((doc) => ({ $ref: getSchemaPath(doc) })),
    discriminator: {
      propertyName: 'model',
      mapping: {
        per_unit: getSchemaPath(PerUnitPrice),
        graduated: getSchemaPath(GraduatedPrice),
        volume: getSchemaPath(VolumePrice),
        package: getSchemaPath(PackagePrice),
      },
    },
  };
}

/** A property holding a price (registering the price components on the host class). */
export function ApiPriceProperty(options: {
  description: string;
  required: boolean;
  nullable?: boolean;
}): PropertyDecorator {
  return (target, key) => {
    ApiExtraModels(...PRICE_DOCS)(target.constructor);
    const schema = priceSchema();
    const oneOf = options.nullable
      ? [...schema.oneOf, { type: 'object', nullable: true, enum: [null] }]
      : schema.oneOf;
    ApiProperty({
      description: options.description,
      required: options.required,
      oneOf,
      ...(options.nullable ? {} : { discriminator: schema.discriminator }),
    })(target, key);
  };
}
