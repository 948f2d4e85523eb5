package io.janela.survey.asking;

/**
 * The names of the survey-service's state stores. They name the changelog topics too
 * ({@code <application.id>-<store>-changelog}), so they never change: a new name would orphan the state.
 */
public final class StoreNames {

    /** Contact key → StoredSurveys: the survey in progress, the throttle, the last survey's ids. */
    public static final String SURVEYS = "survey-contacts";

    /** Due time · contact key → nothing: the index the punctuator reads in time order. No changelog. */
    public static final String DEADLINES = "survey-deadlines";

    /** {@code {phoneNumberId}:{waId}} → ContactAlias: a global copy of whatsapp.contact-aliases. */
    public static final String ALIASES = "survey-contact-aliases";

    private StoreNames() {}
}
