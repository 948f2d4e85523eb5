package io.janela.serde;

import io.janela.serde.registry.CachingSchemaRegistryClient;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.serde.registry.RestSchemaRegistryClient;
import io.janela.serde.registry.SchemaRegistryClient;

/** Builds the registry client that a serde's settings describe. */
final class SchemaRegistryClients {

    private SchemaRegistryClients() {}

    static SchemaRegistryClient create(AvroSerdeConfig config) {
        return config.mockScope()
                .<SchemaRegistryClient>map(MockSchemaRegistry::forScope)
                .orElseGet(() -> new CachingSchemaRegistryClient(
                        new RestSchemaRegistryClient(
                                config.registryUrls(),
                                config.basicAuthUserInfo(),
                                config.connectTimeout(),
                                config.requestTimeout()),
                        config.latestCacheTtl()));
    }
}
