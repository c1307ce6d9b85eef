import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Tally's custom search attributes (Keyword), set on every workflow so the Temporal UI can filter by them. */
export const TallyMerchantId = defineSearchAttributeKey('TallyMerchantId', SearchAttributeType.KEYWORD);
export const TallyCustomerId = defineSearchAttributeKey('TallyCustomerId', SearchAttributeType.KEYWORD);
export const TallyStatus = defineSearchAttributeKey('TallyStatus', SearchAttributeType.KEYWORD);

export const TALLY_SEARCH_ATTRIBUTES = [TallyMerchantId, TallyCustomerId, TallyStatus];
