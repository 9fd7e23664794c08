package io.sluice.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** Newline-delimited JSON objects, streamed: one item in memory at a time. */
final class JsonLinesReader implements FileReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    @SuppressWarnings("unchecked")
    public void read(InputStream input, String name, ItemSink sink) throws IOException {
        try (JsonParser parser = JSON.createParser(input)) {
            JsonToken token;
            while ((token = nextToken(parser, name)) != null) {
                long line = parser.currentLocation().getLineNr();
                if (token != JsonToken.START_OBJECT) {
                    throw new SourceException(name + ":" + line + ": expected a JSON object per line, found " + token);
                }
                Map<String, Object> item;
                try {
                    item = parser.readValueAs(Map.class);
                } catch (JsonProcessingException e) {
                    throw malformed(name, e);
                }
                sink.item(item);
            }
        }
    }

    private static JsonToken nextToken(JsonParser parser, String name) throws IOException {
        try {
            return parser.nextToken();
        } catch (JsonProcessingException e) {
            throw malformed(name, e);
        }
    }

    private static SourceException malformed(String name, JsonProcessingException e) {
        long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        return new SourceException(name + ":" + line + ": malformed JSON: " + e.getOriginalMessage(), false, e);
    }
}
