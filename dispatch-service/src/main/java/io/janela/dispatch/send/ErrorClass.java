package io.janela.dispatch.send;

/** What a send's answer means for the request (WHATSAPP.md §4.6). */
enum ErrorClass {
    /** Temporary: try again after a backoff with jitter (131000, 131016, 131057, 1, 5xx, no connection). */
    RETRY,
    /**
     * Meta's rate limits (130429 the number's throughput, 80007 the WABA's, 4 the app's): retried like {@link #RETRY},
     * counted apart so that throttling can be alerted on.
     */
    THROTTLED,
    /** Error 2, Meta's service downtime (up to 5 minutes during API updates): try again, not before a longer pause. */
    DOWNTIME,
    /** 131056, the pair rate limit: wait 4^x seconds for this contact only. */
    PAIR_LIMIT,
    /** 131047 (470 on older APIs): the window is closed; send the fallback template if there is one. */
    REENGAGEMENT,
    /** The call may have reached Meta and been accepted (no answer): in doubt until a status webhook says. */
    IN_DOUBT,
    /** Everything else: the request fails with Meta's code (fix the request or the configuration). */
    TERMINAL
}
