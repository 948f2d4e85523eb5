package io.janela.survey.asking;

/**
 * The names of the survey-service's state stores. They name the changelog topics too
 * ({@code <application.id>-<store>-changelog}), so they never change: a new name would orphan the state.
 */
public final class StoreNames {

    /** Contact key → StoredSurveys: the survey in progress, the throttle, the last survey's ids. */
    public static final String SURVEYS = "survey-contacts";

    /**
     * Due time · kind · contact key → nothing: the index the punctuator reads in time order
     * ({@code io.janela.streams.DeadlineIndex}). No changelog, so it has no topic to orphan: it was renamed from
     * {@code survey-deadlines} when its keys took the shared index's layout, so that a task never reads keys of the
     * old layout left on a disk (the new store starts empty and is rebuilt from {@link #SURVEYS}).
     */
    public static final String DEADLINES = "survey-deadline-index";

    /** {@code {phoneNumberId}:{waId}} → ContactAlias: a global copy of whatsapp.contact-aliases. */
    public static final String ALIASES = "survey-contact-aliases";

    private StoreNames() {}
}
