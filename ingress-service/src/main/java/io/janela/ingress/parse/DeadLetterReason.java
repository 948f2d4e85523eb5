package io.janela.ingress.parse;

/** Why a signed webhook body went to whatsapp.webhooks.dead-letter: the value of the reason header. */
public enum DeadLetterReason {
    /** Not JSON (or not UTF-8, or empty). */
    MALFORMED_JSON,
    /** JSON, but not the envelope of a WhatsApp webhook (no object root, no entry[] array). */
    UNEXPECTED_SHAPE,
    /** An envelope for another Meta product ({@code object} is not {@code whatsapp_business_account}). */
    UNSUPPORTED_OBJECT,
    /** Some items could not become records (the others were published); the cause lists them. */
    INVALID_ITEMS,
    /** Kafka refused a record for a reason a retry would not fix (too large, timestamp out of range). */
    REJECTED_BY_KAFKA
}
