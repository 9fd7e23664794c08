package io.sluice.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

/** A schema as JSON, the form destinations store its versions in. */
public final class SchemaCodec {
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private SchemaCodec() {
    }

    public static String toJson(Schema schema) {
        try {
            return JSON.writeValueAsString(schema);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a schema always serializes", e);
        }
    }

    public static Schema fromJson(String json) {
        try {
            return JSON.readValue(json, Schema.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored schema is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
