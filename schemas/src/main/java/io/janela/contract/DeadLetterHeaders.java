package io.janela.contract;

/**
 * Header names of dead-letter records (whatsapp.webhooks.dead-letter, whatsapp.outbound-requests.dead-letter). The
 * record's key and value are the original bytes; these headers say why it is there and where it came from. Values
 * are UTF-8 strings.
 */
public final class DeadLetterHeaders {

    /** A short, stable code for the kind of failure, e.g. {@code MALFORMED_JSON}, {@code UNDECODABLE}. */
    public static final String REASON = "janela.dead-letter.reason";

    /** A sentence saying what was wrong, for people. Never a secret or a message body. */
    public static final String CAUSE = "janela.dead-letter.cause";

    /** The class of the exception that rejected the record, when there was one. */
    public static final String EXCEPTION = "janela.dead-letter.exception";

    /** The service that dead-lettered the record, e.g. {@code ingress-service}. */
    public static final String SERVICE = "janela.dead-letter.service";

    /** When the record was dead-lettered, as an ISO-8601 instant. */
    public static final String FAILED_AT = "janela.dead-letter.failed-at";

    /** For records that came from Kafka: where they were read. */
    public static final String SOURCE_TOPIC = "janela.dead-letter.source-topic";

    public static final String SOURCE_PARTITION = "janela.dead-letter.source-partition";
    public static final String SOURCE_OFFSET = "janela.dead-letter.source-offset";

    private DeadLetterHeaders() {}
}
