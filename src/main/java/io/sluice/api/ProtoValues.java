package io.sluice.api;

import com.google.protobuf.Timestamp;
import io.sluice.proto.v1.DataType;
import java.time.Duration;
import java.time.Instant;

/** The values every message family shares: times, durations and column data types. */
final class ProtoValues {
    private ProtoValues() {
    }

    static Timestamp timestamp(Instant time) {
        return Timestamp.newBuilder().setSeconds(time.getEpochSecond()).setNanos(time.getNano()).build();
    }

    static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    static com.google.protobuf.Duration duration(Duration duration) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(duration.getSeconds()).setNanos(duration.getNano()).build();
    }

    static DataType dataType(io.sluice.schema.DataType type) {
        return switch (type) {
            case BOOL -> DataType.BOOL;
            case BIGINT -> DataType.BIGINT;
            case DOUBLE -> DataType.DOUBLE;
            case DECIMAL -> DataType.DECIMAL;
            case TEXT -> DataType.TEXT;
            case TIMESTAMP -> DataType.TIMESTAMP;
            case DATE -> DataType.DATE;
            case TIME -> DataType.TIME;
            case JSON -> DataType.JSON;
            case BINARY -> DataType.BINARY;
        };
    }
}
