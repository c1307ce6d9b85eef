import type { Problem } from '../../common/errors/problems.js';
import { canonicalDecimal, ExactDecimal } from '../../common/money/decimal.js';
import { INSTANT_RULE, parseInstant } from '../../common/validation/instant.js';
import { metadataProblem, type Metadata } from '../../common/validation/metadata.js';
import { valueRule, type Aggregation } from './aggregation.js';
import { requirePayerSelection } from '../../payers/domain/payer-selection.js';

export const EVENT_FIELDS = [
  'customer',
  'account',
  'event_name',
  'reference',
  'value',
  'timestamp',
  'start_time',
  'end_time',
  'markup_percentage',
  'metadata',
] as const;

const KNOWN_FIELDS = new Set<string>(EVENT_FIELDS);
export const MAX_EVENT_NAME_LENGTH = 255;
export const MAX_REFERENCE_LENGTH = 255;
export const MAX_ENTITY_ID_LENGTH = 255;
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
export const MAX_MARKUP_PERCENTAGE = 1000;

/** An event's fields once their shapes are right; what they mean depends on the metric. */
export interface EventShape {
  payer: { kind: 'customer' | 'account'; id: string };
  eventName: string;
  reference: string;
  rawValue: unknown;
  /** Null when the client left it out (it then defaults to receipt time). */
  timestamp: Date | null;
  startTime: Date | null;
  endTime: Date | null;
  rawMarkupPercentage: unknown;
  metadata: Metadata;
}

/** Findings that do not refuse an event: `missing_interval`, a time_duration event without both times. */
export const EVENT_WARNINGS = ['missing_interval'] as const;
export type EventWarning = (typeof EVENT_WARNINGS)[number];

export type Checked<T> =
  { ok: true; value: T; warnings: EventWarning[] } | { ok: false; problems: Problem[] };

function parseTimestamp(value: unknown, param: string, problems: Problem[]): Date | null {
  if (value === undefined || value === null) return null;
  const instant = parseInstant(value);
  if (instant === null)
    problems.push({ code: 'parameter_invalid', param, message: `${param} must be ${INSTANT_RULE}` });
  return instant;
}

function requiredString(
  body: Record<string, unknown>,
  param: string,
  max: number,
  problems: Problem[],
): string {
  const value = body[param];
  if (value === undefined || value === null || value === '') {
    problems.push({ code: 'parameter_missing', param, message: `${param} is required` });
    return '';
  }
  if (typeof value !== 'string' || value.length > max) {
    problems.push({
      code: 'parameter_invalid',
      param,
      message: `${param} must be a string of 1 to ${max} characters`,
    });
    return '';
  }
  return value;
}

/**
 * Checks everything about an event that needs no lookup: known fields, types, the payer rule,
 * the reference, dates (not more than 5 minutes ahead of `now`) and metadata. Reports every
 * problem at once.
 */
export function checkEventShape(body: unknown, now: Date): Checked<EventShape> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      problems: [{ code: 'parameter_invalid', message: 'an event must be a JSON object' }],
    };
  }
  const input = body as Record<string, unknown>;
  const problems: Problem[] = [];
  for (const key of Object.keys(input)) {
    if (!KNOWN_FIELDS.has(key)) {
      problems.push({ code: 'parameter_unknown', param: key, message: `${key} is not a known parameter` });
    }
  }

  let payer: EventShape['payer'] = { kind: 'customer', id: '' };
  const selection = requirePayerSelection(input);
  if (selection.ok) payer = selection.payer;
  else problems.push(selection.problem);

  const eventName = requiredString(input, 'event_name', MAX_EVENT_NAME_LENGTH, problems);
  const reference = requiredString(input, 'reference', MAX_REFERENCE_LENGTH, problems);
  const timestamp = parseTimestamp(input.timestamp, 'timestamp', problems);
  if (timestamp && timestamp.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    problems.push({
      code: 'timestamp_in_future',
      param: 'timestamp',
      message: 'timestamp is more than 5 minutes in the future; send the time the usage happened',
    });
  }
  const startTime = parseTimestamp(input.start_time, 'start_time', problems);
  const endTime = parseTimestamp(input.end_time, 'end_time', problems);
  if (startTime && endTime && endTime.getTime() < startTime.getTime()) {
    problems.push({ code: 'invalid_interval', param: 'end_time', message: 'end_time is before start_time' });
  }

  let metadata: Metadata = {};
  if (input.metadata !== undefined && input.metadata !== null) {
    const problem = metadataProblem(input.metadata);
    if (problem) problems.push({ code: 'parameter_invalid', param: 'metadata', message: problem });
    else metadata = input.metadata as Metadata;
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    warnings: [],
    value: {
      payer,
      eventName,
      reference,
      rawValue: input.value,
      timestamp,
      startTime,
      endTime,
      rawMarkupPercentage: input.markup_percentage,
      metadata,
    },
  };
}

/** The metric facts an event is checked against. */
export interface MetricFacts {
  id: string;
  aggregation: Aggregation;
}

/** An event ready to store: exact decimals as canonical strings, dates resolved. */
export interface AcceptedEvent {
  shape: EventShape;
  metricId: string;
  /** Decimal text for sum / average / markup_percentage; null otherwise. */
  value: string | null;
  /** The counted entity id for count_unique; null otherwise. */
  uniqueValue: string | null;
  markupPercentage: string | null;
}

/** Checks the fields whose meaning depends on the metric's aggregation. */
export function checkEventForMetric(shape: EventShape, metric: MetricFacts): Checked<AcceptedEvent> {
  const problems: Problem[] = [];
  const warnings: EventWarning[] = [];
  let value: string | null = null;
  let uniqueValue: string | null = null;
  let markupPercentage: string | null = null;

  const rule = valueRule(metric.aggregation);
  switch (rule) {
    case 'decimal_required':
      if (shape.rawValue === undefined || shape.rawValue === null) {
        problems.push({
          code: 'parameter_missing',
          param: 'value',
          message: `value is required for ${metric.aggregation} metrics`,
        });
      } else {
        value = canonicalDecimal(shape.rawValue);
        if (value === null) {
          problems.push({
            code: 'parameter_invalid',
            param: 'value',
            message: 'value must be a number or a decimal string (at most 30 integer and 18 fraction digits)',
          });
        }
      }
      break;
    case 'entity_id_required': {
      const raw = shape.rawValue;
      if (raw === undefined || raw === null || raw === '') {
        problems.push({
          code: 'parameter_missing',
          param: 'value',
          message: 'value is required for count_unique metrics: the id of the entity being counted',
        });
      } else if (typeof raw === 'number' && Number.isFinite(raw)) {
        uniqueValue = canonicalDecimal(raw) ?? raw.toString();
      } else if (typeof raw === 'string' && raw.length <= MAX_ENTITY_ID_LENGTH) {
        uniqueValue = raw;
      } else {
        problems.push({
          code: 'parameter_invalid',
          param: 'value',
          message: `value must be a string (up to ${MAX_ENTITY_ID_LENGTH} characters) or a number naming the entity`,
        });
      }
      break;
    }
    case 'ignored':
      break;
  }

  if (metric.aggregation === 'markup_percentage') {
    const raw = shape.rawMarkupPercentage;
    if (raw === undefined || raw === null) {
      problems.push({
        code: 'parameter_missing',
        param: 'markup_percentage',
        message: 'markup_percentage is required for markup_percentage metrics',
      });
    } else {
      markupPercentage = canonicalDecimal(raw);
      const inRange =
        markupPercentage !== null &&
        new ExactDecimal(markupPercentage).gte(0) &&
        new ExactDecimal(markupPercentage).lte(MAX_MARKUP_PERCENTAGE);
      if (!inRange) {
        markupPercentage = null;
        problems.push({
          code: 'parameter_invalid',
          param: 'markup_percentage',
          message: `markup_percentage must be a number from 0 to ${MAX_MARKUP_PERCENTAGE}`,
        });
      }
    }
  }

  if (metric.aggregation === 'time_duration' && (shape.startTime === null || shape.endTime === null)) {
    warnings.push('missing_interval');
  }

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, warnings, value: { shape, metricId: metric.id, value, uniqueValue, markupPercentage } };
}

/**
 * The checks that need lookups, once they are done: the payer must exist and the metric must be
 * there, then the fields must suit the metric. Logging and amending an event both decide here,
 * so they answer the same codes in the same order (an unknown payer first, then the metric's).
 */
export function acceptEvent(
  shape: EventShape,
  metric: MetricFacts | null,
  payerExists: boolean,
): Checked<AcceptedEvent> {
  const problems: Problem[] = [];
  const { payer } = shape;
  if (!payerExists) {
    problems.push({
      code: `unknown_${payer.kind}`,
      param: payer.kind,
      message: `no such ${payer.kind}: '${payer.id}'`,
    });
  }
  if (!metric) {
    problems.push({
      code: 'unknown_event_name',
      param: 'event_name',
      message: `no active billing metric has event_name '${shape.eventName}': create the metric first (POST /v1/billing/metering)`,
    });
    return { ok: false, problems };
  }
  const accepted = checkEventForMetric(shape, metric);
  if (!accepted.ok) return { ok: false, problems: [...problems, ...accepted.problems] };
  if (problems.length > 0) return { ok: false, problems };
  return accepted;
}
