package io.janela.window.query;

import io.janela.avro.ContactAlias;
import io.janela.contract.ContactKey;
import io.janela.window.config.WindowProperties;
import io.janela.window.tracking.ContactStateCodec;
import io.janela.window.tracking.StoreNames;
import io.janela.window.tracking.avro.StoredContact;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Locale;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Finds a contact's window wherever it lives. A contact addressed by phone number is first resolved through the
 * global alias store (every instance has it). Kafka Streams says which instance owns the contact's partition: this
 * one reads its store; another one is asked over HTTP ({@link OwnerClient}). While ownership is being assigned
 * (start, rebalance) the answer is "unavailable, retry", never a wrong "not found".
 */
@Service
class WindowQueryService {

    static final String QUERIES = "janela.window.queries";

    private final StreamsBuilderFactoryBean streams;
    private final OwnerClient owners;
    private final Clock clock;
    private final HostInfo self;
    private final MeterRegistry registry;

    WindowQueryService(
            StreamsBuilderFactoryBean streams,
            OwnerClient owners,
            Clock clock,
            WindowProperties properties,
            MeterRegistry registry) {
        this.streams = streams;
        this.owners = owners;
        this.clock = clock;
        this.self = new HostInfo(
                properties.query().advertisedHost(), properties.query().advertisedPort());
        this.registry = registry;
    }

    /**
     * @param forwardedBy the instance that forwarded this request, or null when it comes from a client
     */
    Mono<WindowLookup> find(String phoneNumberId, String contactId, String forwardedBy) {
        ContactKey key;
        try {
            key = new ContactKey(phoneNumberId, contactId);
        } catch (IllegalArgumentException e) {
            return Mono.just(counted(new WindowLookup.Invalid(e.getMessage())));
        }
        // Store reads are RocksDB reads: off the event loop.
        return Mono.fromCallable(() -> locate(key, forwardedBy))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(located -> located instanceof Owner owner
                        ? owners.window(
                                owner.host(),
                                owner.key().phoneNumberId(),
                                owner.key().contactId(),
                                served())
                        : Mono.just(((Answer) located).lookup()))
                .map(this::counted);
    }

    private Located locate(ContactKey requested, String forwardedBy) {
        KafkaStreams kafkaStreams = streams.getKafkaStreams();
        KafkaStreams.State state = kafkaStreams == null ? null : kafkaStreams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            return new Answer(new WindowLookup.Unavailable("the window store is not running (" + state + ")"));
        }
        try {
            ContactKey key = resolveAlias(kafkaStreams, requested);
            KeyQueryMetadata owner = kafkaStreams.queryMetadataForKey(
                    StoreNames.CONTACTS, key.format(), Serdes.String().serializer());
            if (owner == null
                    || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)
                    || HostInfo.unavailable().equals(owner.activeHost())) {
                return new Answer(new WindowLookup.Unavailable("the owner of this contact is being assigned"));
            }
            if (!self.equals(owner.activeHost())) {
                if (forwardedBy != null) {
                    return new Answer(new WindowLookup.Unavailable("ownership of this contact is moving"));
                }
                return new Owner(owner.activeHost(), key);
            }
            ReadOnlyKeyValueStore<String, StoredContact> contacts =
                    kafkaStreams.store(StoreQueryParameters.fromNameAndType(
                                    StoreNames.CONTACTS, QueryableStoreTypes.<String, StoredContact>keyValueStore())
                            .withPartition(owner.partition()));
            StoredContact stored = contacts.get(key.format());
            return new Answer(
                    stored == null
                            ? new WindowLookup.NotFound(served())
                            : new WindowLookup.Found(
                                    WindowView.of(ContactStateCodec.decode(stored), clock.instant()), served()));
        } catch (InvalidStateStoreException e) {
            return new Answer(new WindowLookup.Unavailable("the window store is not queryable right now"));
        }
    }

    /** A phone number known as the alias of a contact identified by business-scoped user id names that contact. */
    private static ContactKey resolveAlias(KafkaStreams kafkaStreams, ContactKey requested) {
        ReadOnlyKeyValueStore<String, ContactAlias> aliases = kafkaStreams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.ALIASES, QueryableStoreTypes.<String, ContactAlias>keyValueStore()));
        ContactAlias alias = aliases.get(requested.format());
        return alias == null ? requested : new ContactKey(alias.getPhoneNumberId(), alias.getContactId());
    }

    private String served() {
        return self.host() + ":" + self.port();
    }

    private WindowLookup counted(WindowLookup lookup) {
        String outcome = switch (lookup) {
            case WindowLookup.Found found -> "local";
            case WindowLookup.NotFound notFound -> "not_found";
            case WindowLookup.Relayed relayed -> "forwarded";
            case WindowLookup.Unavailable unavailable -> "unavailable";
            case WindowLookup.Invalid invalid -> "invalid";
        };
        Counter.builder(QUERIES)
                .description("Window queries answered, by outcome")
                .tag("outcome", outcome.toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
        return lookup;
    }

    private sealed interface Located permits Answer, Owner {}

    private record Answer(WindowLookup lookup) implements Located {}

    private record Owner(HostInfo host, ContactKey key) implements Located {}
}
