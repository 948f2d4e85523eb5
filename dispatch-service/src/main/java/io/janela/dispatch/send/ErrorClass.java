package io.janela.dispatch.send;

/** What a send's answer means for the request (WHATSAPP.md §4.6). */
enum ErrorClass {
    /** Temporary: try again after a backoff with jitter (130429, 131000, 131016, 131057, 1, 4, 80007, 5xx, no connection). */
    RETRY,
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
