package io.sluice.source;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON mapper every source reads items with. Decimal numbers take Jackson's fast parser, which rounds exactly
 * as {@link Double#parseDouble} does: the JDK's own parser was a fiftieth of a nested JSON load's samples.
 */
public final class ItemJson {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
            .build();

    private ItemJson() {
    }
}
