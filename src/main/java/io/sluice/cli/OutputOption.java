package io.sluice.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code -o json} on a read command: the API's response as protobuf JSON with the proto field names (as pipeline files
 * spell them), one document, for scripts; text otherwise.
 */
class OutputOption {
    private static final JsonFormat.Printer JSON = JsonFormat.printer().preservingProtoFieldNames();
    private static final JsonFormat.Printer JSON_LINE = JSON.omittingInsignificantWhitespace();

    enum Format { TEXT, JSON }

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "text (default) or json (the API's message as protobuf JSON).")
    Format format = Format.TEXT;

    /** Reads {@code text} or {@code json} in any case, as users type them. */
    static class FormatConverter implements CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String text) {
            try {
                return Format.valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not an output format: text or json");
            }
        }
    }

    /** Prints the message when JSON was asked for; false when the command prints its text instead. */
    boolean printedAsJson(MessageOrBuilder message) {
        return printed(JSON, message);
    }

    /** As {@link #printedAsJson}, on one line: for streams, one document a line (JSON Lines). */
    boolean printedAsJsonLine(MessageOrBuilder message) {
        return printed(JSON_LINE, message);
    }

    private boolean printed(JsonFormat.Printer printer, MessageOrBuilder message) {
        if (format != Format.JSON) {
            return false;
        }
        try {
            System.out.println(printer.print(message));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a message of the API always prints as JSON", e);
        }
        return true;
    }
}
