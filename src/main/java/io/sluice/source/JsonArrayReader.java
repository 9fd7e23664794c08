package io.sluice.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * A file holding one top-level JSON array of objects, read an element at a time with Jackson's streaming parser, so
 * only one item is in memory however long the array. An element that is not an object is rejected on its own; JSON
 * that is malformed fails the file, since the parser cannot find the next element after it.
 */
final class JsonArrayReader implements FileReader {
    private static final ObjectMapper ITEMS = ItemJson.MAPPER;
    private static final JsonFactory JSON = ITEMS.getFactory();

    @Override
    public boolean read(InputStream input, String name, ItemSink sink) throws IOException {
        try (JsonParser parser = JSON.createParser(input)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_ARRAY) {
                throw new SourceException(name + ": expected a JSON array of objects, found "
                        + (first == null ? "nothing" : first.asString() == null ? first.name() : first.asString()));
            }
            long index = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw new SourceException(name + ": the JSON array is not closed");
                }
                long element = index++;
                long line = parser.currentTokenLocation().getLineNr();
                if (token != JsonToken.START_OBJECT) {
                    String found = token == JsonToken.START_ARRAY ? "an array" : parser.getText();
                    parser.skipChildren();
                    sink.rejected(() -> origin(name, line, element), "expected a JSON object, found " + found);
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> item = ITEMS.readValue(parser, Map.class);
                if (!sink.item(item, () -> origin(name, line, element))) {
                    return false;
                }
            }
            return true;
        } catch (JsonProcessingException e) {
            throw new SourceException(name + ": malformed JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), false, e);
        }
    }

    private static String origin(String name, long line, long element) {
        return name + ":" + line + " (element " + element + ")";
    }
}
