package io.sluice.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** A pipeline state as JSON, the form destinations and load packages store it in. */
public final class PipelineStateCodec {
    private static final ObjectMapper JSON = new ObjectMapper()
            .findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private PipelineStateCodec() {
    }

    public static String toJson(PipelineState state) {
        try {
            return JSON.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a pipeline state always serializes", e);
        }
    }

    public static PipelineState fromJson(String json) {
        try {
            return JSON.readValue(json, PipelineState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored pipeline state is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
