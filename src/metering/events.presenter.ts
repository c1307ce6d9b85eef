import type { CorrectionRecord, EventFields, EventState } from './domain/event-corrections.js';
import type {
  BillingMetricEvent,
  BillingMetricEventChanges,
  BillingMetricEventVersion,
  BillingMetricEventWithVersions,
} from './dto/event-resource.dto.js';
import type { EventRow, EventView, StoredEventRow } from './events.repository.js';

/** A row's content as the event resource shows it (what `changes` compares). */
export function eventFields(row: EventRow): EventFields {
  return {
    customer: row.customerId,
    account: row.accountId,
    /** Exact decimal text, or the counted entity id for count_unique; null where the metric ignores it. */
    value: row.uniqueValue ?? row.value,
    timestamp: row.timestamp.toISOString(),
    start_time: row.startTime?.toISOString() ?? null,
    end_time: row.endTime?.toISOString() ?? null,
    markup_percentage: row.markupPercentage,
    metadata: row.metadata,
  };
}

export function presentEvent(view: EventView): BillingMetricEvent {
  const { row } = view;
  const fields = eventFields(row);
  return {
    id: view.id,
    object: 'billing_metric_event' as const,
    reference: row.reference,
    event_name: row.eventName,
    metric: row.metricId,
    customer: fields.customer,
    account: fields.account,
    value: fields.value,
    timestamp: fields.timestamp,
    start_time: fields.start_time,
    end_time: fields.end_time,
    markup_percentage: fields.markup_percentage,
    metadata: fields.metadata,
    status: row.status,
    received_at: view.receivedAt.toISOString(),
    version: view.version,
    voided: view.voided,
    amended: view.amended,
  };
}

/** The view of an event as of a state its history computes. */
export function viewOf(state: EventState<StoredEventRow>): EventView {
  return {
    id: state.first.id,
    row: state.current,
    receivedAt: state.first.receivedAt,
    version: state.version,
    voided: state.voided,
    amended: state.amended,
  };
}

function versionOf(
  correction: CorrectionRecord,
  rowsById: ReadonlyMap<string, StoredEventRow>,
): BillingMetricEventVersion {
  const row = correction.rowId ? rowsById.get(correction.rowId) : undefined;
  const reversal = rowsById.get(correction.reversalId);
  return {
    version: correction.version,
    action: correction.action,
    created_at: correction.createdAt.toISOString(),
    api_key: correction.apiKeyId,
    reason: correction.reason,
    changes: correction.changes as BillingMetricEventChanges,
    status: row?.status ?? null,
    invoice: row?.invoiceId ?? null,
    reversal: reversal ? { status: reversal.status, invoice: reversal.invoiceId } : null,
  };
}

/** The event with one entry per version, as of the state given. */
export function presentEventWithVersions(
  state: EventState<StoredEventRow>,
  rows: readonly StoredEventRow[],
): BillingMetricEventWithVersions {
  const rowsById = new Map(rows.map((row) => [row.id, row]));
  const logged: BillingMetricEventVersion = {
    version: 1,
    action: 'logged',
    created_at: state.first.receivedAt.toISOString(),
    api_key: null,
    reason: null,
    changes: {},
    status: state.first.status,
    invoice: state.first.invoiceId,
    reversal: null,
  };
  return {
    ...presentEvent(viewOf(state)),
    versions: [logged, ...state.corrections.map((correction) => versionOf(correction, rowsById))],
  };
}
