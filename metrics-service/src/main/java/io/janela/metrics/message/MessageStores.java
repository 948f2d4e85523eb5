package io.janela.metrics.message;

/** The store names of the message stream (explicit, so that a topology change never orphans them). */
record MessageStores(String messages, String deadlines) {

    static final MessageStores DEFAULT = new MessageStores("metrics-messages", "metrics-message-deadlines");
}
