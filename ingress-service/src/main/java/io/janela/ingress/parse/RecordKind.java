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
    USER_PREFERENCE("user_preference");

    private final String tag;

    RecordKind(String tag) {
        this.tag = tag;
    }

    /** The value of the {@code kind} metric tag. */
    public String tag() {
        return tag;
    }
}
