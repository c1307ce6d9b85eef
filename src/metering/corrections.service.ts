import { Injectable } from '@nestjs/common';
import pLimit from 'p-limit';
import type { EntityManager } from 'typeorm';
import type { Problem } from '../common/errors/problems.js';
import { validationErrorFromProblems } from '../common/errors/problems.js';
import { ConflictError, NotFoundError, TallyError, ValidationError } from '../common/errors/tally-error.js';
import { idempotencyKeyReused, requestFingerprint } from '../common/idempotency/idempotency-key.js';
import { isIdOf, newId } from '../common/ids/ids.js';
import { PayersService } from '../payers/payers.service.js';
import { type RecordedWebhookEvent, WebhookEmitter } from '../webhooks/webhook-emitter.js';
import { CorrectionsRepository, type EventKey, type StoredCorrection } from './corrections.repository.js';
import {
  amendedBody,
  changesBetween,
  checkAmendment,
  eventStateAsOf,
  MAX_BATCH_VOIDS,
  reasonProblem,
  type EventState,
} from './domain/event-corrections.js';
import { acceptEvent, checkEventShape, MAX_REFERENCE_LENGTH } from './domain/event-input.js';
import type {
  BillingMetricEventVoidBatchResult,
  BillingMetricEventWithVersions,
} from './dto/event-resource.dto.js';
import type { StoredEventRow } from './events.repository.js';
import { eventFields, presentEventWithVersions } from './events.presenter.js';
import { eventRowOf } from './ingestion.service.js';
import { MetricsService } from './metrics.service.js';

/** Who asks for a correction, and the Idempotency-Key it came with. */
export interface Requester {
  apiKeyId: string | null;
  idempotencyKey: string | null;
}

/** What a void did: the event as it now stands, and whether this call voided it. */
export interface VoidOutcome {
  event: BillingMetricEventWithVersions;
  voided: boolean;
}

type VoidBatchItem = BillingMetricEventVoidBatchResult['data'][number];

/** The event as it stands inside a correction's transaction, its lock held. */
interface Locked {
  first: StoredEventRow;
  rows: StoredEventRow[];
  corrections: StoredCorrection[];
}

const BATCH_ITEM_FIELDS = new Set(['id', 'reference', 'reason']);
/** Voids of one batch done at once (each its own transaction, on its own connection). */
const BATCH_CONCURRENCY = 4;

function notFound(key: EventKey): NotFoundError {
  if ('id' in key) return NotFoundError.resource('billing metric event', key.id);
  return new NotFoundError(
    'resource_missing',
    `No billing metric event has reference '${key.reference}'.`,
    'reference',
  );
}

/**
 * Voids and amendments of usage events. Each appends rows (a reversal of the current version and,
 * for an amendment, the new version) and a versions entry, in one transaction that first takes
 * the event's advisory lock, so the corrections of one event apply one after another, each over
 * the one before; the webhook `billing.event.corrected` is recorded in it and sent after it.
 */
@Injectable()
export class CorrectionsService {
  constructor(
    private readonly repository: CorrectionsRepository,
    private readonly metrics: MetricsService,
    private readonly payers: PayersService,
    private readonly webhooks: WebhookEmitter,
  ) {}

  /** The event with every version, by public id (the id of a later row is not an event's). */
  async get(merchantId: string, id: string): Promise<BillingMetricEventWithVersions> {
    const found = isIdOf('event', id) ? await this.repository.loadEvent(merchantId, id) : null;
    if (!found) throw notFound({ id });
    return presentEventWithVersions(eventStateAsOf(found.rows, found.corrections), found.rows);
  }

  /** Voids the event: its usage leaves wherever it counted. Voiding a voided event changes nothing. */
  async void(
    merchantId: string,
    key: EventKey,
    reason: string | null,
    requester: Requester,
  ): Promise<VoidOutcome> {
    const requestHash = requestFingerprint({ action: 'void', reason: reason ?? undefined });
    return this.correct(merchantId, key, requester, requestHash, async (tx, locked, state) => {
      if (state.voided) return null;
      const now = new Date();
      const reversal = await this.reverse(tx, locked, state.current, now);
      return {
        rows: [reversal],
        correction: {
          version: state.version + 1,
          action: 'voided',
          rowId: null,
          reversalId: reversal.id,
          changes: {},
          reason,
          apiKeyId: requester.apiKeyId,
          idempotencyKey: requester.idempotencyKey,
          requestHash,
          createdAt: now,
        },
      };
    }).then(({ event, changed }) => ({ event, voided: changed }));
  }

  /**
   * Amends the event: a patch over its current version, checked as logging checks an event, stored
   * as a new version. A patch that changes nothing answers the event as it is.
   */
  async amend(
    merchantId: string,
    id: string,
    body: unknown,
    requester: Requester,
  ): Promise<BillingMetricEventWithVersions> {
    const checked = checkAmendment(body);
    if (!checked.ok) throw validationErrorFromProblems(checked.problems);
    const { patch, reason, expectedVersion } = checked.value;
    // A payer the patch names is looked up before the transaction (cached, on the pool), so the
    // transaction holds one connection only while it waits for the event's lock.
    const newPayer =
      typeof patch.customer === 'string'
        ? ({ kind: 'customer', id: patch.customer } as const)
        : typeof patch.account === 'string'
          ? ({ kind: 'account', id: patch.account } as const)
          : null;
    const newPayerExists = newPayer ? await this.payers.exists(merchantId, newPayer.kind, newPayer.id) : true;
    const requestHash = requestFingerprint({ action: 'amend', ...(body as object | undefined) });
    const { event } = await this.correct(
      merchantId,
      { id },
      requester,
      requestHash,
      async (tx, locked, state) => {
        if (state.voided) {
          throw new ConflictError(
            'event_voided',
            `The billing metric event '${id}' is voided: a voided event cannot be amended.`,
            'id',
          );
        }
        if (expectedVersion !== null && expectedVersion !== state.version) {
          throw new ConflictError(
            'version_conflict',
            `The billing metric event '${id}' is at version ${state.version}, not ${expectedVersion}: read it again and amend the current version.`,
            'expected_version',
          );
        }
        const now = new Date();
        const before = eventFields(state.current);
        const merged = amendedBody(
          { ...before, event_name: state.current.eventName, reference: state.current.reference },
          patch,
        );
        const shape = checkEventShape(merged, now);
        if (!shape.ok) throw validationErrorFromProblems(shape.problems);
        const samePayer =
          (shape.value.payer.kind === 'customer' ? state.current.customerId : state.current.accountId) ===
          shape.value.payer.id;
        const metric = await this.metrics.factsById(merchantId, state.first.metricId, tx);
        const accepted = acceptEvent(shape.value, metric, samePayer || newPayerExists);
        if (!accepted.ok) throw validationErrorFromProblems(accepted.problems);
        const amended = eventRowOf(merchantId, newId('event', now.getTime()), accepted.value, now);
        const changes = changesBetween(before, eventFields(amended));
        if (Object.keys(changes).length === 0) return null;
        const reversal = await this.reverse(tx, locked, state.current, now);
        const version = state.version + 1;
        const row: StoredEventRow = {
          ...amended,
          version,
          sign: 1,
          eventId: locked.first.id,
          invoiceId: null,
        };
        await this.repository.insertVersion(tx, row);
        return {
          rows: [reversal, row],
          correction: {
            version,
            action: 'amended',
            rowId: row.id,
            reversalId: reversal.id,
            changes,
            reason,
            apiKeyId: requester.apiKeyId,
            idempotencyKey: requester.idempotencyKey,
            requestHash,
            createdAt: now,
          },
        };
      },
    );
    return event;
  }

  /** Voids each item on its own, in order of the answer; a refused item never stops the others. */
  async voidBatch(
    merchantId: string,
    body: unknown,
    apiKeyId: string | null,
  ): Promise<BillingMetricEventVoidBatchResult> {
    const items = batchVoids(body);
    const limit = pLimit(BATCH_CONCURRENCY);
    const data = await Promise.all(
      items.map((item, index) =>
        limit(async (): Promise<VoidBatchItem> => {
          const checked = checkVoidItem(item);
          if (!checked.ok) return { index, status: 'rejected', error: checked.problem };
          try {
            const outcome = await this.void(merchantId, checked.key, checked.reason, {
              apiKeyId,
              idempotencyKey: null,
            });
            return { index, status: outcome.voided ? 'voided' : 'already_voided', id: outcome.event.id };
          } catch (error) {
            if (!(error instanceof TallyError) || error.status >= 500) throw error;
            const { code, message, param } = error.toBody();
            return { index, status: 'rejected', error: { code, message, ...(param && { param }) } };
          }
        }),
      ),
    );
    const count = (status: string) => data.filter((item) => item.status === status).length;
    return {
      object: 'batch_result',
      voided: count('voided'),
      already_voided: count('already_voided'),
      rejected: count('rejected'),
      data,
    };
  }

  /**
   * One correction: lock the event, answer a replay of its Idempotency-Key as of the version
   * that key made, else let `apply` append its rows (or nothing: null), record the correction and
   * its webhook, and send the webhook after the commit.
   */
  private async correct(
    merchantId: string,
    key: EventKey,
    requester: Requester,
    requestHash: string,
    apply: (
      tx: EntityManager,
      locked: Locked,
      state: EventState<StoredEventRow>,
    ) => Promise<{ rows: StoredEventRow[]; correction: StoredCorrection } | null>,
  ): Promise<{ event: BillingMetricEventWithVersions; changed: boolean }> {
    if ('id' in key && !isIdOf('event', key.id)) throw notFound(key);
    const { result, recorded } = await this.repository.transaction(async (tx) => {
      const first = await this.repository.findFirstRow(merchantId, key, tx);
      if (!first) throw notFound(key);
      await this.repository.lockEvent(tx, merchantId, first.id);
      const locked: Locked = {
        first,
        rows: await this.repository.eventRows(merchantId, first.reference, tx),
        corrections: await this.repository.corrections(merchantId, first.id, tx),
      };
      if (requester.idempotencyKey !== null) {
        const earlier = locked.corrections.find((c) => c.idempotencyKey === requester.idempotencyKey);
        if (earlier) {
          if (earlier.requestHash !== requestHash) throw idempotencyKeyReused(requester.idempotencyKey);
          const then = eventStateAsOf(locked.rows, locked.corrections, earlier.version);
          return {
            result: { event: presentEventWithVersions(then, locked.rows), changed: false },
            recorded: [],
          };
        }
      }
      const state = eventStateAsOf(locked.rows, locked.corrections);
      const applied = await apply(tx, locked, state);
      if (!applied) {
        return {
          result: { event: presentEventWithVersions(state, locked.rows), changed: false },
          recorded: [],
        };
      }
      await this.repository.insertCorrection(tx, merchantId, first.id, applied.correction);
      const rows = [...locked.rows, ...applied.rows];
      const after = eventStateAsOf(rows, [...locked.corrections, applied.correction]);
      const event = presentEventWithVersions(after, rows);
      const recorded: RecordedWebhookEvent[] = [
        await this.webhooks.record(tx, {
          merchantId,
          type: 'billing.event.corrected',
          object: event as unknown as Record<string, unknown>,
          payerId: after.current.customerId ?? after.current.accountId,
        }),
      ];
      return { result: { event, changed: true }, recorded };
    });
    await this.webhooks.dispatch(recorded);
    return result;
  }

  /** Appends the reversal of `row`; answers it as stored. */
  private async reverse(
    tx: EntityManager,
    locked: Locked,
    row: StoredEventRow,
    now: Date,
  ): Promise<StoredEventRow> {
    const id = newId('event', now.getTime());
    await this.repository.insertReversal(tx, {
      merchantId: row.merchantId,
      reversedId: row.id,
      id,
      eventId: locked.first.id,
      receivedAt: now,
    });
    return {
      ...row,
      id,
      sign: -1,
      eventId: locked.first.id,
      status: 'logged',
      invoiceId: null,
      receivedAt: now,
    };
  }
}

/** The `voids` of a batch body: 1 to 1,000 items, the body holding nothing else. */
function batchVoids(body: unknown): unknown[] {
  const voids = (body as { voids?: unknown } | null)?.voids;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray(voids)) {
    throw new ValidationError('parameter_missing', 'Send { "voids": [ … ] } with 1 to 1,000 voids.', 'voids');
  }
  const unknown = Object.keys(body).find((key) => key !== 'voids');
  if (unknown)
    throw new ValidationError('parameter_unknown', `${unknown} is not a known parameter.`, unknown);
  if (voids.length === 0 || voids.length > MAX_BATCH_VOIDS) {
    throw new ValidationError(
      'parameter_invalid',
      `voids must hold 1 to ${MAX_BATCH_VOIDS} items (this one holds ${voids.length}).`,
      'voids',
    );
  }
  return voids;
}

/** One void of a batch: exactly one of id / reference, and an optional reason. */
function checkVoidItem(
  item: unknown,
): { ok: true; key: EventKey; reason: string | null } | { ok: false; problem: Problem } {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { ok: false, problem: { code: 'parameter_invalid', message: 'a void must be a JSON object' } };
  }
  const input = item as Record<string, unknown>;
  const unknown = Object.keys(input).find((key) => !BATCH_ITEM_FIELDS.has(key));
  if (unknown) {
    return {
      ok: false,
      problem: { code: 'parameter_unknown', param: unknown, message: `${unknown} is not a known parameter` },
    };
  }
  const reason = reasonProblem(input.reason);
  if (reason) return { ok: false, problem: reason };
  const { id, reference } = input;
  if (id !== undefined && reference !== undefined) {
    return {
      ok: false,
      problem: { code: 'parameter_invalid', param: 'reference', message: 'give id or reference, not both' },
    };
  }
  const why = (input.reason as string | undefined) ?? null;
  if (id !== undefined) {
    if (typeof id !== 'string')
      return {
        ok: false,
        problem: { code: 'parameter_invalid', param: 'id', message: 'id must be an event id' },
      };
    return { ok: true, key: { id }, reason: why };
  }
  if (reference !== undefined) {
    if (typeof reference !== 'string' || reference.length === 0 || reference.length > MAX_REFERENCE_LENGTH) {
      return {
        ok: false,
        problem: {
          code: 'parameter_invalid',
          param: 'reference',
          message: `reference must be a string of 1 to ${MAX_REFERENCE_LENGTH} characters`,
        },
      };
    }
    return { ok: true, key: { reference }, reason: why };
  }
  return {
    ok: false,
    problem: { code: 'parameter_missing', param: 'id', message: 'id or reference is required' },
  };
}
