package io.janela.metrics.conversation;

/** The store names of the conversation stream (explicit, so that a topology change never orphans them). */
record ConversationStores(String conversations, String deadlines) {

    static final ConversationStores DEFAULT =
            new ConversationStores("metrics-conversations", "metrics-conversation-deadlines");
}
