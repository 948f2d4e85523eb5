package io.janela.metrics.streams;

/**
 * Why a customer act the window-service told as LATE lies in no window, as the {@code reason} tag of
 * {@code janela.late.acts.unplaced}: its conversation is missing from the response-rate funnel.
 */
public enum UnplacedLateAct {
    /**
     * A contact's state keeps at most 64 late acts (Conversation.MAX_LATE_ACTS); beyond that, once those a measured
     * window holds are gone, the oldest is forgotten before any window held it.
     */
    OVER_CAP,
    /**
     * It came within a day before a retroactive window that was already measured (after the settle delay): it would
     * have moved that window's opening earlier, and the measured window stands.
     */
    WINDOW_MEASURED
}
