package io.janela.contract;

import java.util.OptionalInt;

/**
 * How a customer's message answers a satisfaction survey, shared by the survey-service (which scores it) and the
 * metrics-service (which must not count a survey answer as a new conversation, a returning customer or a message
 * waiting for an answer).
 *
 * <p>The survey-service writes the list's row ids and the template's quick-reply payloads as
 * {@code csat:{surveyId}:{score}} ({@link #code}); Meta sends them back in {@code interactive.list_reply.id},
 * {@code interactive.button_reply.id} or {@code button.payload} (InboundMessage {@code reply.id} / {@code
 * reply.payload}), with {@code context.id} = the survey's wamid. A free-text answer is a text whose first character,
 * after spaces, is a digit 1–5 not followed by another digit ("5", "4 - good", "5!"; not "10", not "0").
 */
public final class SurveyAnswers {

    /** The prefix of every survey row id and quick-reply payload. */
    public static final String PREFIX = "csat:";

    public static final int LOWEST = 1;
    public static final int HIGHEST = 5;

    private SurveyAnswers() {}

    /** The row id / quick-reply payload for {@code score} of survey {@code surveyId} (which holds no colon). */
    public static String code(String surveyId, int score) {
        if (surveyId.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a survey id holds no ':': " + surveyId);
        }
        if (score < LOWEST || score > HIGHEST) {
            throw new IllegalArgumentException("a score is 1 to 5: " + score);
        }
        return PREFIX + surveyId + ':' + score;
    }

    /** Whether a reply id or payload is a survey tap (of any survey). */
    public static boolean isSurveyCode(String replyCode) {
        return replyCode != null && replyCode.startsWith(PREFIX);
    }

    /** The survey id a reply code names, or null when it is not a well-formed survey code. */
    public static String surveyIdOf(String replyCode) {
        if (!isSurveyCode(replyCode)) {
            return null;
        }
        int last = replyCode.lastIndexOf(':');
        return last <= PREFIX.length() ? null : replyCode.substring(PREFIX.length(), last);
    }

    /** The score a reply code gives, when it is a well-formed survey code. */
    public static OptionalInt scoreOfCode(String replyCode) {
        if (surveyIdOf(replyCode) == null) {
            return OptionalInt.empty();
        }
        String score = replyCode.substring(replyCode.lastIndexOf(':') + 1);
        return score.length() == 1 ? digit(score.charAt(0)) : OptionalInt.empty();
    }

    /** The score a free-text answer gives: its first non-space character, a digit 1–5 not followed by a digit. */
    public static OptionalInt scoreOfText(String text) {
        if (text == null) {
            return OptionalInt.empty();
        }
        String stripped = text.strip();
        if (stripped.isEmpty() || (stripped.length() > 1 && Character.isDigit(stripped.charAt(1)))) {
            return OptionalInt.empty();
        }
        return digit(stripped.charAt(0));
    }

    private static OptionalInt digit(char c) {
        int value = c - '0';
        return value >= LOWEST && value <= HIGHEST ? OptionalInt.of(value) : OptionalInt.empty();
    }
}
