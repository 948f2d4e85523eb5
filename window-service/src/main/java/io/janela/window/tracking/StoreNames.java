package io.janela.window.tracking;

/**
 * The names of the window-service's state stores. They name the changelog topics too
 * ({@code <application.id>-<store>-changelog}), so they never change: a new name would orphan the state.
 */
public final class StoreNames {

    /** Contact key → StoredContact: each contact's window, FEP and recent messages. Queried over HTTP. */
    public static final String CONTACTS = "window-contacts";

    /** Deadline key (due time, kind, lead, contact key) → nothing: the index the punctuator reads in time order. */
    public static final String DEADLINES = "window-deadlines";

    /** Business phone number id → windows open now, per task: the gauge without a scan. */
    public static final String OPEN_COUNTS = "window-open-counts";

    /** {@code {phoneNumberId}:{waId}} → ContactAlias: a global copy of whatsapp.contact-aliases on every instance. */
    public static final String ALIASES = "window-contact-aliases";

    private StoreNames() {}
}
