package io.sluice.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.sluice.proto.v1.Pipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads pipeline files, YAML or JSON, into the {@link Pipeline} message as its protobuf JSON mapping spells it (field
 * names or their JSON names, 64-bit numbers as numbers or text). It walks the tree against the message descriptor and
 * builds the message as it goes, so that every problem is reported with its path at once: an unknown key, a wrongly
 * typed value, a field given by both its names, two kinds of one choice (a source that is both files and an API). Enum
 * values may be written in any case ({@code merge} as well as {@code MERGE}). Well-known types (a timestamp, a struct)
 * go through {@link JsonFormat}, which knows their spellings.
 */
public final class SpecReader {
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]{1,19}");
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames();

    private SpecReader() {
    }

    /** Reads a {@code .yaml}, {@code .yml} or {@code .json} pipeline file. */
    public static Pipeline read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidSpecException(file.toString(),
                    List.of(Problem.invalid("", "cannot read the file: " + e.getMessage())));
        }
        return parse(text, file.toString());
    }

    /** Reads spec text; YAML is a superset of JSON, so both spellings parse here. */
    public static Pipeline parse(String text, String origin) {
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidSpecException(origin, List.of(Problem.invalid("", "malformed YAML/JSON: " + e.getOriginalMessage()
                    + location(e))));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new InvalidSpecException(origin, List.of(Problem.invalid("", "the file is empty")));
        }
        List<Problem> problems = new ArrayList<>();
        Pipeline.Builder builder = Pipeline.newBuilder();
        merge(tree, builder, "", problems);
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(origin, problems);
        }
        return builder.build();
    }

    /** The spec as canonical JSON with proto field names, the form it is stored in. */
    public static String toJson(Pipeline pipeline) {
        try {
            return PRINTER.print(pipeline);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a built Pipeline always prints", e);
        }
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    /** Sets the fields {@code node} gives into {@code builder}, adding a problem for each it cannot take. */
    private static void merge(JsonNode node, Message.Builder builder, String path, List<Problem> problems) {
        Descriptor type = builder.getDescriptorForType();
        if (type.getFullName().startsWith("google.protobuf.")) {
            try {
                JsonFormat.parser().merge(JSON.writeValueAsString(node), builder);
            } catch (InvalidProtocolBufferException | JsonProcessingException e) {
                problems.add(Problem.invalid(path, e.getMessage()));
            }
            return;
        }
        if (!node.isObject()) {
            problems.add(Problem.invalid(path, "expected an object (" + type.getName() + "), got " + describe(node)));
            return;
        }
        Map<FieldDescriptor, String> given = new HashMap<>();
        // The choice each oneof was given here, valid or not: a first kind refused for its own fields is still chosen.
        Map<OneofDescriptor, FieldDescriptor> chosen = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String fieldPath = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
            FieldDescriptor field = findField(type, entry.getKey());
            if (field == null) {
                problems.add(Problem.invalid(fieldPath, "unknown field; " + type.getName() + " has: " + fieldNames(type)));
                continue;
            }
            String earlier = given.putIfAbsent(field, entry.getKey());
            if (earlier != null) {
                problems.add(Problem.invalid(fieldPath, "given twice, as " + earlier + " and as " + entry.getKey()));
                continue;
            }
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                continue;
            }
            OneofDescriptor oneof = field.getRealContainingOneof();
            FieldDescriptor other = oneof == null ? null : chosen.putIfAbsent(oneof, field);
            if (other != null) {
                problems.add(Problem.invalid(fieldPath, "only one of " + oneof.getFields().stream().map(FieldDescriptor::getName)
                        .collect(Collectors.joining(", ")) + " may be given; " + other.getName() + " is given too"));
                continue;
            }
            if (field.isMapField()) {
                mergeMap(value, field, builder, fieldPath, problems);
            } else if (field.isRepeated()) {
                if (!value.isArray()) {
                    problems.add(Problem.invalid(fieldPath, "expected a list, got " + describe(value)));
                    continue;
                }
                for (int i = 0; i < value.size(); i++) {
                    Object element = value(value.get(i), field, builder, fieldPath + "[" + i + "]", problems);
                    if (element != null) {
                        builder.addRepeatedField(field, element);
                    }
                }
            } else {
                Object single = value(value, field, builder, fieldPath, problems);
                if (single != null) {
                    builder.setField(field, single);
                }
            }
        }
    }

    /** A map's entries, its keys as given (every map of the spec has text keys). */
    private static void mergeMap(JsonNode value, FieldDescriptor field, Message.Builder builder, String path,
                                 List<Problem> problems) {
        if (!value.isObject()) {
            problems.add(Problem.invalid(path, "expected a map, got " + describe(value)));
            return;
        }
        Descriptor entryType = field.getMessageType();
        FieldDescriptor keyField = entryType.findFieldByName("key");
        FieldDescriptor valueField = entryType.findFieldByName("value");
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            Message.Builder entryBuilder = builder.newBuilderForField(field);
            Object entryValue = value(entry.getValue(), valueField, entryBuilder, path + "." + entry.getKey(), problems);
            if (entryValue != null) {
                builder.addRepeatedField(field, entryBuilder.setField(keyField, entry.getKey()).setField(valueField, entryValue).build());
            }
        }
    }

    /** The value of {@code field} that {@code value} gives, or null with a problem added. */
    private static Object value(JsonNode value, FieldDescriptor field, Message.Builder parent, String path, List<Problem> problems) {
        switch (field.getJavaType()) {
            case MESSAGE -> {
                Message.Builder message = parent.newBuilderForField(field);
                int before = problems.size();
                merge(value, message, path, problems);
                return problems.size() == before ? message.build() : null;
            }
            case ENUM -> {
                if (value.isTextual()) {
                    EnumValueDescriptor match = field.getEnumType().findValueByName(value.asText().toUpperCase(Locale.ROOT));
                    if (match != null && match.getNumber() != 0) {
                        return match;
                    }
                }
                problems.add(Problem.invalid(path, "expected one of " + enumNames(field) + ", got " + describe(value)));
                return null;
            }
            case STRING -> {
                if (value.isValueNode()) {
                    return value.asText();
                }
                problems.add(Problem.invalid(path, "expected text, got " + describe(value)));
                return null;
            }
            case BOOLEAN -> {
                if (value.isBoolean()) {
                    return value.booleanValue();
                }
                problems.add(Problem.invalid(path, "expected true or false, got " + describe(value)));
                return null;
            }
            case INT -> {
                if (value.isIntegralNumber() && value.canConvertToInt()) {
                    return value.intValue();
                }
                problems.add(Problem.invalid(path, "expected a whole number, got " + describe(value)));
                return null;
            }
            case LONG -> {
                if (value.isIntegralNumber() && value.canConvertToLong()) {
                    return value.longValue();
                }
                // Proto3 JSON writes 64-bit whole numbers as text ("100"): the stored spec reads back as it was written.
                if (value.isTextual() && WHOLE_NUMBER.matcher(value.asText()).matches()) {
                    try {
                        return Long.parseLong(value.asText());
                    } catch (NumberFormatException e) {
                        // Beyond 64 bits: refused below.
                    }
                }
                problems.add(Problem.invalid(path, "expected a whole number, got " + describe(value)));
                return null;
            }
            case FLOAT, DOUBLE -> {
                if (value.isNumber()) {
                    return field.getJavaType() == FieldDescriptor.JavaType.FLOAT ? (Object) value.floatValue() : value.doubleValue();
                }
                problems.add(Problem.invalid(path, "expected a number, got " + describe(value)));
                return null;
            }
            case BYTE_STRING -> {
                if (value.isTextual()) {
                    try {
                        return ByteString.copyFrom(Base64.getDecoder().decode(value.asText()));
                    } catch (IllegalArgumentException e) {
                        // Not base64: refused below.
                    }
                }
                problems.add(Problem.invalid(path, "expected base64 text, got " + describe(value)));
                return null;
            }
        }
        throw new IllegalStateException("unhandled field type " + field.getJavaType());
    }

    private static FieldDescriptor findField(Descriptor type, String key) {
        FieldDescriptor byName = type.findFieldByName(key);
        if (byName != null) {
            return byName;
        }
        return type.getFields().stream().filter(field -> field.getJsonName().equals(key)).findFirst().orElse(null);
    }

    private static String fieldNames(Descriptor type) {
        return type.getFields().stream().map(FieldDescriptor::getName).collect(Collectors.joining(", "));
    }

    private static String enumNames(FieldDescriptor field) {
        return field.getEnumType().getValues().stream()
                .filter(value -> value.getNumber() != 0)
                .map(EnumValueDescriptor::getName)
                .collect(Collectors.joining(", "));
    }

    private static String describe(JsonNode node) {
        String text = node.toString();
        String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "a list";
            case STRING -> "text " + shown;
            case NUMBER -> "the number " + shown;
            case BOOLEAN -> shown;
            default -> shown;
        };
    }
}
