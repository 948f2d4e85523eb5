package io.janela.window.rules;

import java.time.Duration;
import java.time.Instant;

/** Something that happened to a customer service window, to be told to the world as a WindowEvent. */
public sealed interface WindowChange {

    /** The window as it was when this happened. */
    ContactState.Window window();

    /** The latest qualifying customer message of that window. */
    Instant lastInboundAt();

    /**
     * A contact with no open window wrote.
     *
     * @param firstContact the contact never had a window before
     * @param previousWindowClosedAt when a returning contact's previous window closed
     */
    record Opened(
            ContactState.Window window, Instant lastInboundAt, boolean firstContact, Instant previousWindowClosedAt)
            implements WindowChange {}

    /** The window expires in {@code lead}. */
    record ClosingSoon(ContactState.Window window, Instant lastInboundAt, Duration lead) implements WindowChange {}

    /** The window closed: it expired, or Meta refused a free-form message (131047). */
    record Closed(ContactState.Window window, Instant lastInboundAt) implements WindowChange {}

    /**
     * A qualifying customer message or call came too late to open a window: the window it would have opened was over
     * when it arrived. Nothing opens (the contact's state keeps its window); measuring consumers count the conversation
     * it began after the fact.
     *
     * @param window the window the act would have opened, already over: from the act's time to the expiry it would
     *     have had; never part of any state
     * @param firstContact the contact had no window before
     * @param previousWindowClosedAt the close, at or before the act, of the latest window known before it, or null
     */
    record Late(ContactState.Window window, boolean firstContact, Instant previousWindowClosedAt)
            implements WindowChange {

        @Override
        public Instant lastInboundAt() {
            return null;
        }
    }
}
