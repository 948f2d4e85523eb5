package io.janela.window.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.InboundMessageType;
import io.janela.contract.ContactKey;
import io.janela.contract.QualifyingMessageTypes;
import io.janela.window.rules.WindowChange.Closed;
import io.janela.window.rules.WindowChange.ClosingSoon;
import io.janela.window.rules.WindowChange.Opened;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowRulesTest {

    static final ContactKey KEY = new ContactKey("106540352242922", "US.13491208655302741918");
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    static final Duration DAY = Duration.ofHours(24);

    final WindowRules rules = new WindowRules(WindowPolicy.meta());

    static CustomerMessage text(String id, Instant at) {
        return new CustomerMessage(id, at, InboundMessageType.TEXT, false, false, null, null);
    }

    static CustomerMessage ofType(String id, Instant at, InboundMessageType type) {
        return new CustomerMessage(id, at, type, false, false, null, null);
    }

    ContactState receive(ContactState state, CustomerMessage message, Instant now) {
        return rules.onCustomerMessage(state, KEY, message, now).after();
    }

    @Test
    void firstCustomerMessageOpensAWindowOfTwentyFourHoursFromMetasTimestamp() {
        Transition t = rules.onCustomerMessage(null, KEY, text("wamid.1", T0), T0.plusSeconds(3));

        assertThat(t.ignored()).isNull();
        assertThat(t.after().isOpen()).isTrue();
        assertThat(t.after().window().openedAt()).isEqualTo(T0);
        assertThat(t.after().window().expiresAt()).isEqualTo(T0.plus(DAY));
        assertThat(t.after().window().openingMessageId()).isEqualTo("wamid.1");
        assertThat(t.after().window().pendingLeads()).containsExactly(Duration.ofHours(1));
        assertThat(t.after().window().waitingSince()).isEqualTo(T0);
        assertThat(t.after().totals().inboundMessages()).isEqualTo(1);
        assertThat(t.after().totals().windowsOpened()).isEqualTo(1);
        assertThat(t.changes()).singleElement().isInstanceOfSatisfying(Opened.class, opened -> {
            assertThat(opened.firstContact()).isTrue();
            assertThat(opened.previousWindowClosedAt()).isNull();
        });
    }

    @Test
    void aLaterMessageRefreshesTheExpiryWithoutAnEvent() {
        ContactState open = receive(null, text("wamid.1", T0), T0);

        Transition t = rules.onCustomerMessage(open, KEY, text("wamid.2", T0.plusSeconds(3600)), T0.plusSeconds(3601));

        assertThat(t.changes()).isEmpty();
        assertThat(t.after().window().expiresAt())
                .isEqualTo(T0.plusSeconds(3600).plus(DAY));
        assertThat(t.after().window().openedAt()).isEqualTo(T0);
        assertThat(t.after().totals().inboundMessages()).isEqualTo(2);
        assertThat(t.after().totals().lastInboundAt()).isEqualTo(T0.plusSeconds(3600));
    }

    @Test
    void anOlderMessageArrivingLaterKeepsTheExpiryAndMovesTheOpeningBack() {
        Instant now = T0.plusSeconds(7200);
        ContactState open = receive(null, text("wamid.2", T0.plusSeconds(3600)), now);

        ContactState after = receive(open, text("wamid.1", T0), now);

        assertThat(after.window().expiresAt()).isEqualTo(T0.plusSeconds(3600).plus(DAY));
        assertThat(after.window().openedAt()).isEqualTo(T0);
        assertThat(after.window().openingMessageId()).isEqualTo("wamid.1");
        assertThat(after.totals().windowsOpened()).isEqualTo(1);
        assertThat(after.totals().lastInboundAt()).isEqualTo(T0.plusSeconds(3600));
    }

    @Test
    void aMessageWhoseWindowWouldAlreadyHaveExpiredOpensNothingAndIsLate() {
        Transition t = rules.onCustomerMessage(
                null, KEY, text("wamid.1", T0), T0.plus(DAY).plusSeconds(1));

        assertThat(t.ignored()).isEqualTo(IgnoreReason.LATE);
        assertThat(t.after()).isNull();
        assertThat(t.changes()).singleElement().isInstanceOfSatisfying(WindowChange.Late.class, late -> {
            assertThat(late.window().open()).isFalse();
            assertThat(late.window().openedAt()).isEqualTo(T0);
            assertThat(late.window().expiresAt()).isEqualTo(T0.plus(DAY));
            assertThat(late.firstContact()).isTrue();
        });
    }

    @Test
    void aDuplicateMessageIdChangesNothingAndIsNotCountedTwice() {
        ContactState open = receive(null, text("wamid.1", T0), T0);

        Transition t = rules.onCustomerMessage(open, KEY, text("wamid.1", T0), T0.plusSeconds(30));

        assertThat(t.ignored()).isEqualTo(IgnoreReason.DUPLICATE);
        assertThat(t.after()).isEqualTo(open);
        assertThat(t.after().totals().inboundMessages()).isEqualTo(1);
    }

    @Test
    void reactionsSystemUnsupportedEditRevokeWelcomeAndUnknownMessagesDoNotRefreshTheWindow() {
        ContactState open = receive(null, text("wamid.1", T0), T0);
        Instant later = T0.plusSeconds(3600);
        for (InboundMessageType type : List.of(
                InboundMessageType.REACTION,
                InboundMessageType.SYSTEM,
                InboundMessageType.UNSUPPORTED,
                InboundMessageType.EDIT,
                InboundMessageType.REVOKE,
                InboundMessageType.REQUEST_WELCOME,
                InboundMessageType.UNKNOWN)) {
            Transition t = rules.onCustomerMessage(open, KEY, ofType("wamid." + type, later, type), later);

            assertThat(t.ignored()).as(type.name()).isEqualTo(IgnoreReason.NOT_QUALIFYING);
            assertThat(t.after().window()).as(type.name()).isEqualTo(open.window());
            assertThat(t.after().totals()).as(type.name()).isEqualTo(open.totals());
        }
    }

    @Test
    void aReactionFromAnUnknownContactCreatesNoContact() {
        Transition t = rules.onCustomerMessage(null, KEY, ofType("wamid.r", T0, InboundMessageType.REACTION), T0);

        assertThat(t.after()).isNull();
        assertThat(t.ignored()).isEqualTo(IgnoreReason.NOT_QUALIFYING);
    }

    @Test
    void everyQualifyingTypeOpensTheWindow() {
        for (InboundMessageType type : QualifyingMessageTypes.META) {
            assertThat(receive(null, ofType("wamid.1", T0, type), T0).isOpen())
                    .as(type.name())
                    .isTrue();
        }
    }

    @Test
    void aGroupMessageLeavesTheContactsOwnWindowAlone() {
        CustomerMessage inGroup = new CustomerMessage("wamid.g", T0, InboundMessageType.TEXT, false, true, null, null);

        Transition t = rules.onCustomerMessage(null, KEY, inGroup, T0);

        assertThat(t.ignored()).isEqualTo(IgnoreReason.GROUP);
        assertThat(t.after()).isNull();
    }

    @Test
    void theSameMessagesInAnyOrderGiveTheSameState() {
        Instant now = T0.plus(Duration.ofHours(20));
        List<CustomerMessage> messages = List.of(
                text("wamid.a", T0),
                text("wamid.b", T0.plusSeconds(600)),
                text("wamid.c", T0.plus(Duration.ofHours(5))),
                text("wamid.b", T0.plusSeconds(600)), // a duplicate webhook
                text("wamid.d", T0.minus(Duration.ofHours(30))), // late
                ofType("wamid.e", T0.plus(Duration.ofHours(6)), InboundMessageType.REACTION));

        ContactState reference = null;
        for (List<Integer> order : permutations(messages.size())) {
            ContactState state = null;
            for (int index : order) {
                state = receive(state, messages.get(index), now);
            }
            if (reference == null) {
                reference = state;
            }
            assertThat(state).as(order.toString()).isEqualTo(reference);
        }
        assertThat(reference.window().openedAt()).isEqualTo(T0);
        assertThat(reference.window().openingMessageId()).isEqualTo("wamid.a");
        assertThat(reference.window().expiresAt()).isEqualTo(T0.plus(Duration.ofHours(29)));
        assertThat(reference.window().waitingSince()).isEqualTo(T0);
        assertThat(reference.totals().inboundMessages()).isEqualTo(3);
        assertThat(reference.totals().windowsOpened()).isEqualTo(1);
    }

    @Test
    void businessRepliesConvergeWhateverTheOrderOnceTheContactExists() {
        Instant now = T0.plusSeconds(3600);
        ContactState open = receive(null, text("wamid.a", T0), now);
        List<Object> inputs = List.of(
                text("wamid.b", T0.plusSeconds(600)),
                new BusinessMessage("wamid.r1", T0.plusSeconds(60)),
                new BusinessMessage("wamid.r2", T0.plusSeconds(601)),
                new BusinessMessage("wamid.r1", T0.plusSeconds(59)),
                text("wamid.c", T0.plusSeconds(900)));
        ContactState reference = null;
        for (List<Integer> order : permutations(inputs.size())) {
            ContactState state = open;
            for (int index : order) {
                state = inputs.get(index) instanceof CustomerMessage message
                        ? receive(state, message, now)
                        : rules.onBusinessMessage(state, (BusinessMessage) inputs.get(index), now)
                                .after();
            }
            if (reference == null) {
                reference = state;
            }
            assertThat(state.window()).as(order.toString()).isEqualTo(reference.window());
            assertThat(state.totals().withLastEventAt(null))
                    .isEqualTo(reference.totals().withLastEventAt(null));
        }
        assertThat(reference.window().firstReplyAt()).isEqualTo(T0.plusSeconds(59));
        assertThat(reference.window().lastReplyAt()).isEqualTo(T0.plusSeconds(601));
        assertThat(reference.window().waitingSince()).isEqualTo(T0.plusSeconds(900));
    }

    @Test
    void aMessageAfterTheExpiryClosesTheLapsedWindowAtItsExpiryAndOpensAReturningOne() {
        ContactState open = receive(null, text("wamid.1", T0), T0);
        Instant later = T0.plus(Duration.ofHours(30));

        Transition t = rules.onCustomerMessage(open, KEY, text("wamid.2", later), later);

        assertThat(t.changes()).hasSize(2);
        assertThat(t.changes().get(0)).isInstanceOfSatisfying(Closed.class, closed -> {
            assertThat(closed.window().closedAt()).isEqualTo(T0.plus(DAY));
            assertThat(closed.window().closedByMeta()).isFalse();
            assertThat(closed.lastInboundAt()).isEqualTo(T0);
        });
        assertThat(t.changes().get(1)).isInstanceOfSatisfying(Opened.class, opened -> {
            assertThat(opened.firstContact()).isFalse();
            assertThat(opened.previousWindowClosedAt()).isEqualTo(T0.plus(DAY));
            assertThat(opened.window().openedAt()).isEqualTo(later);
        });
        assertThat(t.after().totals().windowsOpened()).isEqualTo(2);
        assertThat(t.after().totals().previousWindowClosedAt()).isEqualTo(T0.plus(DAY));
    }

    @Test
    void aMessageAtExactlyTheExpiryOpensANewWindowWhetherOrNotTheExpiryWasProcessedFirst() {
        // Meta's timestamps are whole seconds: a message 24 h to the second after the last one is no rare tie. The
        // window is open while now < expiry (as the punctuator and the HTTP view say), so either order gives two
        // windows, the second opened at the expiry.
        ContactState open = receive(null, text("wamid.1", T0), T0);
        Instant atExpiry = T0.plus(DAY);

        ContactState messageFirst = receive(open, text("wamid.2", atExpiry), atExpiry);
        ContactState closedFirst = receive(
                DeadlineRules.onDeadline(open, Deadline.close(atExpiry), atExpiry)
                        .after(),
                text("wamid.2", atExpiry),
                atExpiry);

        assertThat(messageFirst).isEqualTo(closedFirst);
        assertThat(messageFirst.window().openedAt()).isEqualTo(atExpiry);
        assertThat(messageFirst.totals().windowsOpened()).isEqualTo(2);
        assertThat(messageFirst.totals().previousWindowClosedAt()).isEqualTo(atExpiry);
    }

    @Test
    void aBusinessMessageAtExactlyTheExpiryIsNoReplyInTheWindow() {
        ContactState open = receive(null, text("wamid.1", T0), T0);
        Instant atExpiry = T0.plus(DAY);

        ContactState after = rules.onBusinessMessage(open, new BusinessMessage("wamid.b", atExpiry), atExpiry)
                .after();

        assertThat(after.window().firstReplyAt()).isNull();
        assertThat(after.window().waitingSince()).isEqualTo(T0);
    }

    @Test
    void theExpiryDeadlineClosesTheWindowAtItsExactExpiry() {
        ContactState open = receive(null, text("wamid.1", T0), T0);
        Instant punctuation = T0.plus(DAY).plusMillis(700);

        Transition t = DeadlineRules.onDeadline(open, Deadline.close(T0.plus(DAY)), punctuation);

        assertThat(t.changes()).singleElement().isInstanceOfSatisfying(Closed.class, closed -> {
            assertThat(closed.window().closedAt()).isEqualTo(T0.plus(DAY));
            assertThat(closed.window().businessReplied()).isFalse();
            assertThat(closed.window().waitingSince()).isEqualTo(T0);
        });
        assertThat(t.after().isOpen()).isFalse();
        assertThat(DeadlineRules.nextDeadline(t.after())).isNull();
    }

    @Test
    void aDeadlineForAnExpiryThatMovedChangesNothing() {
        ContactState open = receive(null, text("wamid.1", T0), T0);
        ContactState refreshed = receive(open, text("wamid.2", T0.plusSeconds(60)), T0.plusSeconds(60));

        Transition t = DeadlineRules.onDeadline(refreshed, Deadline.close(T0.plus(DAY)), T0.plus(DAY));

        assertThat(t.ignored()).isEqualTo(IgnoreReason.STALE);
        assertThat(t.after()).isEqualTo(refreshed);
    }

    @Test
    void closingSoonFiresOncePerLeadTimeAndARefreshReArmsIt() {
        ContactState open = receive(null, text("wamid.1", T0), T0);
        Deadline soon = Deadline.closingSoon(T0.plus(DAY), Duration.ofHours(1));

        Transition fired = DeadlineRules.onDeadline(open, soon, soon.dueAt());
        Transition again =
                DeadlineRules.onDeadline(fired.after(), soon, soon.dueAt().plusSeconds(1));

        assertThat(fired.changes())
                .singleElement()
                .isInstanceOfSatisfying(
                        ClosingSoon.class, event -> assertThat(event.lead()).isEqualTo(Duration.ofHours(1)));
        assertThat(fired.after().window().pendingLeads()).isEmpty();
        assertThat(DeadlineRules.nextDeadline(fired.after())).isEqualTo(Deadline.close(T0.plus(DAY)));
        assertThat(again.changes()).isEmpty();
        assertThat(again.ignored()).isEqualTo(IgnoreReason.STALE);

        Instant refreshAt = soon.dueAt().plusSeconds(60);
        ContactState refreshed = receive(fired.after(), text("wamid.2", refreshAt), refreshAt);
        assertThat(refreshed.window().pendingLeads()).containsExactly(Duration.ofHours(1));
        assertThat(DeadlineRules.nextDeadline(refreshed))
                .isEqualTo(Deadline.closingSoon(refreshAt.plus(DAY), Duration.ofHours(1)));
    }

    @Test
    void aClosingSoonDeadlineOfAnAlreadyExpiredWindowIsDroppedWithoutAnEvent() {
        ContactState open = receive(null, text("wamid.1", T0), T0);

        Transition t = DeadlineRules.onDeadline(
                open,
                Deadline.closingSoon(T0.plus(DAY), Duration.ofHours(1)),
                T0.plus(DAY).plusSeconds(5));

        assertThat(t.changes()).isEmpty();
        assertThat(t.after().window().pendingLeads()).isEmpty();
        assertThat(t.after().isOpen()).isTrue();
    }

    @Test
    void aFailedStatusWith131047ClosesTheWindowAtMetasTime() {
        ContactState open = receive(null, text("wamid.1", T0), T0);
        Instant refusedAt = T0.plus(Duration.ofHours(3));

        Transition t = rules.onMetaClose(open, new MetaClose(refusedAt));

        assertThat(t.changes()).singleElement().isInstanceOfSatisfying(Closed.class, closed -> {
            assertThat(closed.window().closedByMeta()).isTrue();
            assertThat(closed.window().closedAt()).isEqualTo(refusedAt);
            assertThat(closed.window().expiresAt()).isEqualTo(refusedAt);
        });
        assertThat(DeadlineRules.nextDeadline(t.after())).isNull();
    }

    @Test
    void aLaterCustomerMessageReopensAWindowMetaClosed() {
        Instant refusedAt = T0.plus(Duration.ofHours(3));
        ContactState closed = rules.onMetaClose(receive(null, text("wamid.1", T0), T0), new MetaClose(refusedAt))
                .after();
        Instant later = refusedAt.plusSeconds(60);

        Transition t = rules.onCustomerMessage(closed, KEY, text("wamid.2", later), later);

        assertThat(t.changes()).singleElement().isInstanceOfSatisfying(Opened.class, opened -> {
            assertThat(opened.firstContact()).isFalse();
            assertThat(opened.previousWindowClosedAt()).isEqualTo(refusedAt);
        });
        assertThat(t.after().window().expiresAt()).isEqualTo(later.plus(DAY));
    }

    @Test
    void aMessageFromBeforeMetasRefusalArrivingAfterItDoesNotReopen() {
        Instant refusedAt = T0.plus(Duration.ofHours(3));
        ContactState closed = rules.onMetaClose(receive(null, text("wamid.1", T0), T0), new MetaClose(refusedAt))
                .after();

        Transition t = rules.onCustomerMessage(
                closed, KEY, text("wamid.0", T0.plus(Duration.ofHours(2))), refusedAt.plusSeconds(60));

        assertThat(t.ignored()).isEqualTo(IgnoreReason.LATE);
        assertThat(t.after().isOpen()).isFalse();
    }

    @Test
    void a131047OlderThanTheLatestCustomerMessageDoesNotClose() {
        Instant now = T0.plus(Duration.ofHours(4));
        ContactState open =
                receive(receive(null, text("wamid.1", T0), now), text("wamid.2", now.minusSeconds(60)), now);

        Transition t = rules.onMetaClose(open, new MetaClose(T0.plus(Duration.ofHours(3))));

        assertThat(t.ignored()).isEqualTo(IgnoreReason.STALE);
        assertThat(t.after().isOpen()).isTrue();
        assertThat(t.changes()).isEmpty();
    }

    @Test
    void aBusinessReplyBeforeTheOpeningMessageWasProcessedStillCountsForItsWindow() {
        Instant now = T0.plus(Duration.ofHours(30));
        ContactState open = receive(null, text("wamid.1", T0), T0);
        ContactState closed = DeadlineRules.onDeadline(open, Deadline.close(T0.plus(DAY)), T0.plus(DAY))
                .after();
        Instant opensAt = now.minusSeconds(120);
        ContactState replied = rules.onBusinessMessage(
                        closed, new BusinessMessage("wamid.r", now.minusSeconds(60)), now)
                .after();

        ContactState reopened = receive(replied, text("wamid.2", opensAt), now);

        assertThat(reopened.window().firstReplyAt()).isEqualTo(now.minusSeconds(60));
        assertThat(reopened.window().businessReplied()).isTrue();
        assertThat(reopened.window().waitingSince()).isNull();
    }

    @Test
    void businessActivityAloneCreatesNoContact() {
        Transition t = rules.onBusinessMessage(null, new BusinessMessage("wamid.r", T0), T0);

        assertThat(t.after()).isNull();
        assertThat(t.ignored()).isEqualTo(IgnoreReason.UNKNOWN_CONTACT);
    }

    @Test
    void theSameSentMessageFromDispatchAndFromMetaCountsOnceAtTheEarlierTime() {
        ContactState open = receive(null, text("wamid.1", T0), T0);
        Instant accepted = T0.plusMillis(1_500);
        ContactState viaDispatch = rules.onBusinessMessage(open, new BusinessMessage("wamid.r", accepted), accepted)
                .after();

        Transition viaStatus = rules.onBusinessMessage(
                viaDispatch, new BusinessMessage("wamid.r", T0.plusSeconds(2)), T0.plusSeconds(3));

        assertThat(viaStatus.ignored()).isEqualTo(IgnoreReason.DUPLICATE);
        assertThat(viaStatus.after().window().firstReplyAt()).isEqualTo(accepted);
        assertThat(viaStatus.after().recentReplies().items()).hasSize(1);
    }

    @Test
    void theCustomerWaitsFromTheFirstMessageAfterTheLastReply() {
        Instant now = T0.plusSeconds(3600);
        ContactState state = receive(null, text("wamid.1", T0), now);
        state = receive(state, text("wamid.2", T0.plusSeconds(10)), now);
        assertThat(state.window().waitingSince()).isEqualTo(T0);

        state = rules.onBusinessMessage(state, new BusinessMessage("wamid.r", T0.plusSeconds(20)), now)
                .after();
        assertThat(state.window().waitingSince()).isNull();

        state = receive(state, text("wamid.3", T0.plusSeconds(40)), now);
        state = receive(state, text("wamid.4", T0.plusSeconds(30)), now);
        assertThat(state.window().waitingSince()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void recentMessagesAreBoundedInNumberAndAge() {
        WindowRules small = new WindowRules(new WindowPolicy(DAY, List.of(), DAY, Duration.ofHours(72), 3, DAY));
        Instant now = T0.plus(Duration.ofHours(23));
        ContactState state = null;
        for (int i = 0; i < 5; i++) {
            state = small.onCustomerMessage(state, KEY, text("wamid." + i, T0.plusSeconds(i)), now)
                    .after();
        }
        assertThat(state.recentInbound().items()).hasSize(3);
        assertThat(state.totals().inboundMessages()).isEqualTo(5);

        Instant muchLater = T0.plus(Duration.ofHours(40));
        state = small.onCustomerMessage(state, KEY, text("wamid.9", muchLater), muchLater)
                .after();
        assertThat(state.recentInbound().items())
                .extracting(Sightings.Sighting::at)
                .containsExactly(muchLater);
    }

    static List<List<Integer>> permutations(int n) {
        List<List<Integer>> result = new ArrayList<>();
        permute(new ArrayList<>(), n, result);
        return result;
    }

    private static void permute(List<Integer> prefix, int n, List<List<Integer>> result) {
        if (prefix.size() == n) {
            result.add(List.copyOf(prefix));
            return;
        }
        for (int i = 0; i < n; i++) {
            if (!prefix.contains(i)) {
                prefix.add(i);
                permute(prefix, n, result);
                prefix.remove(prefix.size() - 1);
            }
        }
    }
}
