package io.janela.ingress.parse;

/** What a published record is; each kind has its own topic. */
public enum RecordKind {
    /** A {@code messages[]} item, to whatsapp.inbound-messages. */
    INBOUND_MESSAGE("inbound_message"),
    /** A {@code statuses[]} item, to whatsapp.message-statuses. */
    MESSAGE_STATUS("message_status"),
    /** A template status, category or quality update, to whatsapp.template-events. */
    TEMPLATE_EVENT("template_event"),
    /** A {@code user_preferences[]} item, to whatsapp.user-preferences. */
    USER_PREFERENCE("user_preference"),
    /** A {@code calls} change's {@code calls[]} or {@code statuses[]} item, to whatsapp.call-events. */
    CALL_EVENT("call_event"),
    /** An {@code smb_message_echoes} change's {@code message_echoes[]} item, to whatsapp.message-echoes. */
    MESSAGE_ECHO("message_echo"),
    /**
     * An {@code account_update}, {@code business_capability_update}, {@code phone_number_quality_update} or {@code
     * user_id_update} item, to whatsapp.account-events.
     */
    ACCOUNT_EVENT("account_event");

    private final String tag;

    RecordKind(String tag) {
        this.tag = tag;
    }

    /** The value of the {@code kind} metric tag. */
    public String tag() {
        return tag;
    }
}
