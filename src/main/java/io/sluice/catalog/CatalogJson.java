package io.sluice.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** The catalog's values stored as JSON: run summaries, refreshes and the table rows of discarded packages. */
final class CatalogJson {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private CatalogJson() {
    }

    /** A run's summary or refresh as JSON. */
    static String write(Record value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a " + value.getClass().getSimpleName() + " always serializes", e);
        }
    }

    static <T extends Record> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new CatalogException("stored run " + type.getSimpleName() + " is unreadable", e);
        }
    }

    static String writeTables(List<RunSummary.TableRows> tables) {
        try {
            return JSON.writeValueAsString(tables);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("table rows always serialize", e);
        }
    }

    static List<RunSummary.TableRows> readTables(String json) {
        try {
            return List.of(JSON.readValue(json, RunSummary.TableRows[].class));
        } catch (JsonProcessingException e) {
            throw new CatalogException("stored table rows are unreadable", e);
        }
    }
}
